import { readFile } from 'node:fs/promises';
import { checkedOnset, checkedTerm } from './curie.js';
import { ObservationSet } from './observation-set.js';
import { PhenotypeFormatError } from './phenotype-format-error.js';
import type {
  ParticipantDemographics,
  ParticipantSex,
  PhenotypeImport,
  PhenotypeReadOptions,
} from './phenotype-types.js';

const SEX: Record<string, ParticipantSex> = {
  FEMALE: 'female',
  MALE: 'male',
  OTHER_SEX: 'other',
  UNKNOWN_SEX: 'unknown',
};

interface Located {
  packet: unknown;
  where: string;
  line?: number;
}

/**
 * Reads GA4GH Phenopackets v2 JSON: one phenopacket, an array of them, or JSON Lines. Takes the
 * subject (id, sex, birth year), `phenotypicFeatures` (type, excluded, onset) and `diseases`
 * (term, excluded, onset). Terms must be HPO or MONDO and known. Birth year comes from
 * `subject.dateOfBirth`, else from `timeAtLastEncounter.age` subtracted from the year of
 * `metaData.created` (an estimate, off by at most one year).
 */
export async function readPhenopackets(
  source: string | { text: string },
  options: PhenotypeReadOptions,
): Promise<PhenotypeImport> {
  const text = typeof source === 'string' ? await readFile(source, 'utf8') : source.text;
  const set = new ObservationSet();
  const people = new Map<string, ParticipantDemographics>();
  for (const { packet, where, line } of split(text)) {
    const demographics = subjectOf(packet, where, line);
    merge(people, demographics, where, line);
    const participant = demographics.participant;
    const p = packet as Record<string, unknown>;
    for (const [i, f] of list(
      p.phenotypicFeatures,
      `${where} phenotypicFeatures`,
      line,
    ).entries()) {
      const at = `${where} phenotypicFeatures[${i}]`;
      const id = idOf(field(f, 'type'), `${at}.type`, line);
      const o = {
        participant,
        term: checkedTerm(id, options.knownTerm, line),
        present: !excluded(f, at, line),
      };
      const onset = onsetOf(field(f, 'onset'), at, options, line);
      set.add(onset ? { ...o, onset } : o, at, line);
    }
    for (const [i, d] of list(p.diseases, `${where} diseases`, line).entries()) {
      const at = `${where} diseases[${i}]`;
      const id = idOf(field(d, 'term'), `${at}.term`, line);
      const o = {
        participant,
        term: checkedTerm(id, options.knownTerm, line),
        present: !excluded(d, at, line),
      };
      const onset = onsetOf(field(d, 'onset'), at, options, line);
      set.add(onset ? { ...o, onset } : o, at, line);
    }
  }
  return {
    observations: set.observations,
    participants: [...people.values()],
    duplicates: set.duplicates,
  };
}

function split(text: string): Located[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new PhenotypeFormatError('the file is empty');
  if (trimmed.startsWith('[')) {
    const value = parseJson(trimmed);
    if (!Array.isArray(value)) throw new PhenotypeFormatError('expected an array of phenopackets');
    return value.map((packet, i) => ({ packet, where: `phenopacket #${i + 1}` }));
  }
  try {
    return [{ packet: JSON.parse(trimmed) as unknown, where: 'phenopacket' }];
  } catch {
    // Not one JSON document: JSON Lines, one phenopacket per line.
  }
  const out: Located[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    out.push({ packet: parseJson(raw, i + 1), where: `phenopacket on line ${i + 1}`, line: i + 1 });
  });
  return out;
}

function parseJson(text: string, line?: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PhenotypeFormatError(`not valid JSON (${(err as Error).message})`, line);
  }
}

function subjectOf(packet: unknown, where: string, line?: number): ParticipantDemographics {
  if (!isObject(packet)) throw new PhenotypeFormatError(`${where} is not a JSON object`, line);
  const subject = packet.subject;
  if (!isObject(subject)) throw new PhenotypeFormatError(`${where} has no subject`, line);
  if (typeof subject.id !== 'string' || subject.id.trim() === '') {
    throw new PhenotypeFormatError(`${where} has no subject.id`, line);
  }
  const d: ParticipantDemographics = { participant: subject.id.trim() };
  if (subject.sex !== undefined) {
    const sex = typeof subject.sex === 'string' ? SEX[subject.sex] : undefined;
    if (!sex) {
      throw new PhenotypeFormatError(
        `${where} has subject.sex ${JSON.stringify(subject.sex)} (expected FEMALE, MALE, OTHER_SEX or UNKNOWN_SEX)`,
        line,
      );
    }
    d.sex = sex;
  }
  const birthYear = birthYearOf(subject, packet, where, line);
  if (birthYear !== undefined) d.birthYear = birthYear;
  return d;
}

function birthYearOf(
  subject: Record<string, unknown>,
  packet: Record<string, unknown>,
  where: string,
  line?: number,
): number | undefined {
  if (typeof subject.dateOfBirth === 'string') {
    const m = /^(\d{4})-\d{2}-\d{2}/.exec(subject.dateOfBirth);
    if (!m) throw new PhenotypeFormatError(`${where} has a malformed subject.dateOfBirth`, line);
    return Number(m[1]);
  }
  const age = field(field(subject.timeAtLastEncounter, 'age'), 'iso8601duration');
  const created = field(packet.metaData, 'created');
  if (typeof age === 'string' && typeof created === 'string') {
    const years = /^P(\d+)Y/.exec(age);
    const year = /^(\d{4})-/.exec(created);
    if (years && year) return Number(year[1]) - Number(years[1]);
  }
  return undefined;
}

function merge(
  people: Map<string, ParticipantDemographics>,
  d: ParticipantDemographics,
  where: string,
  line?: number,
): void {
  const prior = people.get(d.participant);
  if (!prior) {
    people.set(d.participant, d);
    return;
  }
  for (const key of ['sex', 'birthYear'] as const) {
    if (d[key] === undefined) continue;
    if (prior[key] !== undefined && prior[key] !== d[key]) {
      throw new PhenotypeFormatError(
        `${where}: subject ${d.participant} has a different ${key} elsewhere in the file`,
        line,
      );
    }
    Object.assign(prior, { [key]: d[key] });
  }
}

function onsetOf(
  onset: unknown,
  where: string,
  options: PhenotypeReadOptions,
  line?: number,
): string | undefined {
  if (onset === undefined) return undefined;
  const age = field(field(onset, 'age'), 'iso8601duration');
  const cls = field(field(onset, 'ontologyClass'), 'id');
  const ts = field(onset, 'timestamp');
  const value =
    typeof age === 'string'
      ? age
      : typeof cls === 'string'
        ? cls
        : typeof ts === 'string'
          ? ts
          : undefined;
  // Other time elements (gestational age, age ranges, intervals) have no single value to keep.
  return value === undefined ? undefined : checkedOnset(value, options.knownTerm, line);
}

function excluded(item: unknown, where: string, line?: number): boolean {
  const value = field(item, 'excluded');
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new PhenotypeFormatError(`${where}.excluded must be true or false`, line);
  return value;
}

function idOf(cls: unknown, where: string, line?: number): string {
  const id = field(cls, 'id');
  if (typeof id !== 'string') throw new PhenotypeFormatError(`${where}.id is missing`, line);
  return id;
}

function list(value: unknown, where: string, line?: number): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PhenotypeFormatError(`${where} must be an array`, line);
  return value;
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
