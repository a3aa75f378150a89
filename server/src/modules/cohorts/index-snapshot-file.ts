import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { CohortIndex, type ParticipantFacts } from './cohort-index.js';
import type { OntologyGraph } from '../ontology/ontology-graph.js';
import { concatUint32 } from './concat-uint32.js';

/**
 * The cohort index on disk, so a restart loads it in seconds instead of aggregating every call
 * in the database again. The file holds the index's inputs (participant facts, dataset members,
 * variant carriers, phenotype sets) as little-endian typed arrays, plus the change-log position
 * they reflect. It is checked by a SHA-256 over the body; anything that does not check out is
 * ignored and the index is rebuilt from the database.
 *
 * Layout: MAGIC, a u32 header length, the header (JSON), then the sections in header order,
 * each padded to 4 bytes.
 */
const MAGIC = Buffer.from('consentome cohort index\n');
// 2: participant flags carry SIGNED_CONSENT; a format-1 file lacks it and is rebuilt.
// 3: participant flags carry ACTIVE (not withdrawn, discoverable or not); older files are rebuilt.
// 4: participant flags carry STATED_OWN (stated their own choices; else the collection consent).
const FORMAT = 4;

/** Where in the change log a snapshot stands, and a digest of that log row. */
export interface SnapshotPosition {
  changeSeq: number;
  /** SHA-256 of the change-log row at `changeSeq`: a restored or replaced database differs. */
  fingerprint: string;
}

type SectionKind = 'json' | 'u32' | 'i32' | 'u8';

interface SectionInfo {
  name: string;
  kind: SectionKind;
  bytes: number;
}

interface Header {
  format: number;
  endianness: 'le';
  position: SnapshotPosition;
  sha256: string;
  sections: SectionInfo[];
}

const NO_YEAR = -2_147_483_648;
const ELIGIBLE = 1;
const ASK_EACH_TIME = 2;
const SIGNED_CONSENT = 4;
const ACTIVE = 8;
const STATED_OWN = 16;

/** Indexes strings into a table (sexes, choice strings) so each participant stores a number. */
function interner() {
  const table: string[] = [];
  const ids = new Map<string, number>();
  return {
    table,
    id(value: string): number {
      let id = ids.get(value);
      if (id === undefined) {
        id = table.length;
        table.push(value);
        ids.set(value, id);
      }
      return id;
    },
  };
}

/** The index's contents as named sections, ready to write. */
function sections(index: CohortIndex): { info: SectionInfo; data: Buffer }[] {
  const facts = [...index.participantFacts()];
  const nums = new Uint32Array(facts.length);
  const years = new Int32Array(facts.length);
  const flags = new Uint8Array(facts.length);
  const sexIds = new Uint32Array(facts.length);
  const choiceIds = new Uint32Array(facts.length);
  const sexes = interner();
  const choices = interner();
  facts.forEach((p, i) => {
    nums[i] = p.num;
    years[i] = p.birthYear ?? NO_YEAR;
    flags[i] =
      (p.eligible ? ELIGIBLE : 0) |
      (p.askEachTime ? ASK_EACH_TIME : 0) |
      (p.signedConsent ? SIGNED_CONSENT : 0) |
      (p.active ? ACTIVE : 0) |
      (p.statedOwn ? STATED_OWN : 0);
    sexIds[i] = sexes.id(p.sex);
    choiceIds[i] = choices.id(p.choices);
  });

  const datasets = [...index.datasetMembersAll()];
  const terms = [...index.termMembers()];
  const variants = [...index.variantCarriers()];
  const variantIds = new Uint32Array(variants.length);
  const positions = new Int32Array(variants.length);
  const lengths = new Uint32Array(variants.length * 3);
  const carrierParts: Uint32Array[] = [];
  variants.forEach((v, i) => {
    variantIds[i] = v.id;
    positions[i] = v.pos;
    for (const [k, set] of [v.carriers, v.homozygous, v.hemizygous].entries()) {
      lengths[i * 3 + k] = set.length;
      carrierParts.push(set);
    }
  });

  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const list: [string, SectionKind, Buffer][] = [
    ['strings', 'json', json({ sexes: sexes.table, choices: choices.table })],
    ['participant.num', 'u32', bytes(nums)],
    ['participant.birthYear', 'i32', bytes(years)],
    ['participant.flags', 'u8', bytes(flags)],
    ['participant.sex', 'u32', bytes(sexIds)],
    ['participant.choices', 'u32', bytes(choiceIds)],
    ['datasets', 'json', json(datasets.map(([id, m]) => [id, m.length]))],
    ['dataset.members', 'u32', bytes(concatUint32(datasets.map(([, m]) => m)))],
    ['terms', 'json', json(terms.map(([curie, m]) => [curie, m.length]))],
    ['term.members', 'u32', bytes(concatUint32(terms.map(([, m]) => m)))],
    ['variant.text', 'json', json(variants.map((v) => [v.chrom, v.ref, v.alt, v.gene]))],
    ['variant.id', 'u32', bytes(variantIds)],
    ['variant.pos', 'i32', bytes(positions)],
    ['variant.lengths', 'u32', bytes(lengths)],
    ['variant.carriers', 'u32', bytes(concatUint32(carrierParts))],
  ];
  return list.map(([name, kind, data]) => ({ info: { name, kind, bytes: data.length }, data }));
}

const pad = (n: number) => (4 - (n % 4)) % 4;

/**
 * Writes the index's snapshot at `position` to `file` (0600), atomically: a temporary file in
 * the same folder, fsync'ed, then renamed over the old one. A crash leaves the old snapshot or
 * the new one, never half of one.
 */
export async function writeIndexSnapshot(
  file: string,
  index: CohortIndex,
  position: SnapshotPosition,
): Promise<{ bytes: number }> {
  const parts = sections(index);
  const hash = createHash('sha256');
  const body: Buffer[] = [];
  for (const { data } of parts) {
    const padding = Buffer.alloc(pad(data.length));
    hash.update(data).update(padding);
    body.push(data, padding);
  }
  const header: Header = {
    format: FORMAT,
    endianness: 'le',
    position,
    sha256: hash.digest('hex'),
    sections: parts.map((p) => p.info),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  let written = 0;
  try {
    for (const chunk of [MAGIC, length, headerBytes, ...body]) {
      await handle.write(chunk);
      written += chunk.length;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  return { bytes: written };
}

/** A snapshot read from disk: the position it reflects and a way to rebuild the index from it. */
export interface IndexSnapshot {
  position: SnapshotPosition;
  /** A new index over `ontology` holding the snapshot's contents. */
  toIndex(ontology: OntologyGraph): CohortIndex;
}

/** Why a snapshot file was not used. */
export class UnusableSnapshot extends Error {}

/**
 * Reads and checks a snapshot: the magic, the format, the byte order, every section's bounds and
 * the body's SHA-256. Answers undefined when there is no file; throws UnusableSnapshot (with the
 * reason) for a file that fails any check.
 */
export async function readIndexSnapshot(file: string): Promise<IndexSnapshot | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw new UnusableSnapshot('not a cohort index snapshot');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + headerLength;
  if (bodyStart > buf.length) throw new UnusableSnapshot('truncated header');
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, bodyStart).toString('utf8')) as Header;
  } catch {
    throw new UnusableSnapshot('unreadable header');
  }
  if (header.format !== FORMAT || header.endianness !== 'le')
    throw new UnusableSnapshot(`format ${header.format} (${header.endianness}) is not ${FORMAT}`);
  const body = buf.subarray(bodyStart);
  if (createHash('sha256').update(body).digest('hex') !== header.sha256)
    throw new UnusableSnapshot('checksum mismatch: the file was damaged or changed');

  const found = new Map<string, Buffer>();
  let at = 0;
  for (const s of header.sections) {
    if (at + s.bytes > body.length) throw new UnusableSnapshot(`section ${s.name} is truncated`);
    found.set(s.name, body.subarray(at, at + s.bytes));
    at += s.bytes + pad(s.bytes);
  }
  const raw = (name: string) => {
    const b = found.get(name);
    if (!b) throw new UnusableSnapshot(`section ${name} is missing`);
    // Copied into its own aligned buffer: a typed array view needs 4-byte alignment.
    return new Uint8Array(b).buffer;
  };
  const u32 = (name: string) => new Uint32Array(raw(name));
  const i32 = (name: string) => new Int32Array(raw(name));
  const json = <T>(name: string) => JSON.parse(Buffer.from(raw(name)).toString('utf8')) as T;

  const strings = json<{ sexes: string[]; choices: string[] }>('strings');
  const nums = u32('participant.num');
  const years = i32('participant.birthYear');
  const flags = new Uint8Array(raw('participant.flags'));
  const sexIds = u32('participant.sex');
  const choiceIds = u32('participant.choices');
  const datasets = json<[string, number][]>('datasets');
  const datasetMembers = u32('dataset.members');
  const terms = json<[string, number][]>('terms');
  const termMembers = u32('term.members');
  const variantText = json<[string, string, string, string | null][]>('variant.text');
  const variantIds = u32('variant.id');
  const positions = i32('variant.pos');
  const lengths = u32('variant.lengths');
  const carriers = u32('variant.carriers');
  if (
    [years, flags, sexIds, choiceIds].some((a) => a.length !== nums.length) ||
    variantText.length !== variantIds.length ||
    positions.length !== variantIds.length ||
    lengths.length !== variantIds.length * 3
  )
    throw new UnusableSnapshot('section lengths disagree');

  return {
    position: header.position,
    toIndex(ontology) {
      const index = new CohortIndex(ontology);
      const people: ParticipantFacts[] = new Array(nums.length);
      for (let i = 0; i < nums.length; i += 1) {
        people[i] = {
          num: nums[i]!,
          sex: strings.sexes[sexIds[i]!]!,
          birthYear: years[i] === NO_YEAR ? null : years[i]!,
          eligible: (flags[i]! & ELIGIBLE) !== 0,
          choices: strings.choices[choiceIds[i]!]!,
          askEachTime: (flags[i]! & ASK_EACH_TIME) !== 0,
          signedConsent: (flags[i]! & SIGNED_CONSENT) !== 0,
          statedOwn: (flags[i]! & STATED_OWN) !== 0,
          active: (flags[i]! & ACTIVE) !== 0,
        };
      }
      index.loadParticipants(people);
      let m = 0;
      for (const [id, n] of datasets) {
        index.setDatasetMembers(id, datasetMembers.subarray(m, m + n));
        m += n;
      }
      let t = 0;
      for (const [curie, n] of terms) {
        index.setTerm(curie, termMembers.slice(t, t + n));
        t += n;
      }
      let c = 0;
      // Views, not copies: together they are the whole section, which lives as long as the index.
      // Most variants have no homozygous or hemizygous carrier: those share one empty array
      // (nothing writes into these arrays) instead of a million views of nothing.
      const none = new Uint32Array(0);
      const take = (n: number) => (n === 0 ? none : carriers.subarray(c, (c += n)));
      variantText.forEach(([chrom, ref, alt, gene], i) => {
        index.setVariant({
          id: variantIds[i]!,
          chrom,
          pos: positions[i]!,
          ref,
          alt,
          gene,
          carriers: take(lengths[i * 3]!),
          homozygous: take(lengths[i * 3 + 1]!),
          hemizygous: take(lengths[i * 3 + 2]!),
        });
      });
      return index;
    },
  };
}
