import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PhenotypeFormatError } from './phenotype-format-error.js';
import { readParticipantTable } from './read-participant-table.js';
import { readPhenopackets } from './read-phenopackets.js';
import { readPhenotypeTable } from './read-phenotype-table.js';

const KNOWN = new Set(['HP:0001250', 'HP:0001263', 'HP:0003577', 'MONDO:0005148', 'MONDO:0007254']);
const options = { knownTerm: (c: string) => KNOWN.has(c) };
const dir = mkdtempSync(join(tmpdir(), 'pheno-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const path = join(dir, `f${(n += 1)}`);
  writeFileSync(path, text);
  return path;
}

async function tableError(text: string): Promise<PhenotypeFormatError> {
  const err = await readPhenotypeTable(file(text), options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PhenotypeFormatError);
  return err as PhenotypeFormatError;
}

describe('readPhenotypeTable', () => {
  it('reads TSV with a header, normalising CURIEs and onsets', async () => {
    const r = await readPhenotypeTable(
      file(
        'participant\tterm\tstatus\tonset\nP-1\tHP:0001250\tpresent\tHP:0003577\nP-1\thp_0001263\tAbsent\t\nP-2\tMONDO:0005148\tpresent\t2010-03-04\n',
      ),
      options,
    );
    expect(r.observations).toEqual([
      { participant: 'P-1', term: 'HP:0001250', present: true, onset: 'HP:0003577' },
      { participant: 'P-1', term: 'HP:0001263', present: false },
      { participant: 'P-2', term: 'MONDO:0005148', present: true, onset: '2010-03-04' },
    ]);
  });

  it('sniffs CSV and semicolons, finds aliased columns in any order, reads header-less files', async () => {
    const csv = await readPhenotypeTable(
      file('Status,Subject_ID,HPO_ID\r\nobserved,P-1,HP:0001250\r\n'),
      options,
    );
    expect(csv.observations).toEqual([{ participant: 'P-1', term: 'HP:0001250', present: true }]);
    const semi = await readPhenotypeTable(
      file('pseudonym;term;status;onset\nP-1;HP:0001250;excluded;P4Y\n'),
      options,
    );
    expect(semi.observations).toEqual([
      { participant: 'P-1', term: 'HP:0001250', present: false, onset: 'P4Y' },
    ]);
    const bare = await readPhenotypeTable(
      Readable.from(['P-1,HP:0001250,present\nP-2,MONDO:0007254,absent\n']),
      options,
    );
    expect(bare.observations.map((o) => o.participant)).toEqual(['P-1', 'P-2']);
  });

  it('drops identical repeats, refuses contradicting ones', async () => {
    const r = await readPhenotypeTable(
      file('P-1\tHP:0001250\tpresent\nP-1\tHP:0001250\tpresent\n'),
      options,
    );
    expect(r).toMatchObject({ duplicates: 1, observations: [{ participant: 'P-1' }] });
    const err = await tableError('P-1\tHP:0001250\tpresent\nP-1\tHP:0001250\tabsent\n');
    expect(err).toMatchObject({ line: 2 });
  });

  it('refuses an unknown status', async () => {
    const err = await tableError('participant,term,status\nP-1,HP:0001250,maybe\n');
    expect(err).toMatchObject({
      line: 2,
      reason: 'unknown status "maybe" (expected present or absent)',
    });
  });

  it('refuses a malformed CURIE', async () => {
    const err = await tableError(
      'participant,term,status\nP-1,HP:0001250,present\nP-1,HP:12,present\n',
    );
    expect(err).toMatchObject({
      line: 3,
      reason: '"HP:12" is not an HPO or MONDO CURIE (e.g. HP:0001250)',
    });
    const omim = await tableError('participant,term,status\nP-1,OMIM:114480,present\n');
    expect(omim.line).toBe(2);
  });

  it('refuses missing columns', async () => {
    expect(await tableError('participant,term\nP-1,HP:0001250\n')).toMatchObject({
      line: 1,
      reason: 'missing column: status',
    });
    expect((await tableError('a,b,c\nx,y,z\n')).reason).toMatch(/^missing columns/);
  });

  it('refuses a term not in the ontology, and a bad onset', async () => {
    const err = await tableError('participant,term,status\nP-1,HP:0009999,present\n');
    expect(err).toMatchObject({ line: 2, reason: 'term HP:0009999 is not in the ontology' });
    const onset = await tableError(
      'participant,term,status,onset\nP-1,HP:0001250,present,2010-02-30\n',
    );
    expect(onset.reason).toMatch(/not a real date/);
    const text = await tableError(
      'participant,term,status,onset\nP-1,HP:0001250,present,as a child\n',
    );
    expect(text.reason).toMatch(/neither an ISO date/);
  });
});

const PACKET = {
  id: 'pp-1',
  subject: { id: 'P-7', sex: 'FEMALE', dateOfBirth: '1984-06-01T00:00:00Z' },
  phenotypicFeatures: [
    {
      type: { id: 'HP:0001250', label: 'Seizure' },
      onset: { ontologyClass: { id: 'HP:0003577' } },
    },
    { type: { id: 'HP:0001263' }, excluded: true },
  ],
  diseases: [{ term: { id: 'MONDO:0005148' }, onset: { age: { iso8601duration: 'P45Y' } } }],
  metaData: { created: '2024-01-02T00:00:00Z' },
};

describe('readPhenopackets', () => {
  it('reads one phenopacket: features, exclusions, diseases, onsets and demographics', async () => {
    const r = await readPhenopackets({ text: JSON.stringify(PACKET) }, options);
    expect(r.observations).toEqual([
      { participant: 'P-7', term: 'HP:0001250', present: true, onset: 'HP:0003577' },
      { participant: 'P-7', term: 'HP:0001263', present: false },
      { participant: 'P-7', term: 'MONDO:0005148', present: true, onset: 'P45Y' },
    ]);
    expect(r.participants).toEqual([{ participant: 'P-7', sex: 'female', birthYear: 1984 }]);
  });

  it('reads arrays and JSON Lines; birth year from age at last encounter', async () => {
    const other = {
      subject: {
        id: 'P-8',
        sex: 'OTHER_SEX',
        timeAtLastEncounter: { age: { iso8601duration: 'P30Y2M' } },
      },
      metaData: { created: '2020-05-05T10:00:00Z' },
      phenotypicFeatures: [
        { type: { id: 'HP:0001250' }, onset: { timestamp: '2015-01-09T08:00:00Z' } },
      ],
    };
    const arr = await readPhenopackets({ text: JSON.stringify([PACKET, other]) }, options);
    expect(arr.participants).toEqual([
      { participant: 'P-7', sex: 'female', birthYear: 1984 },
      { participant: 'P-8', sex: 'other', birthYear: 1990 },
    ]);
    expect(arr.observations[3]).toEqual({
      participant: 'P-8',
      term: 'HP:0001250',
      present: true,
      onset: '2015-01-09',
    });
    const jsonl = await readPhenopackets(
      file(`${JSON.stringify(PACKET)}\n\n${JSON.stringify(other)}\n`),
      options,
    );
    expect(jsonl.observations).toHaveLength(4);
  });

  it('refuses bad phenopackets with a clear reason', async () => {
    const bad = (p: unknown) =>
      readPhenopackets({ text: `${JSON.stringify(PACKET)}\n${JSON.stringify(p)}\n` }, options);
    await expect(bad({ ...PACKET, subject: { id: 'P-9', sex: 'F' } })).rejects.toMatchObject({
      line: 2,
      reason: expect.stringMatching(/subject.sex "F"/),
    });
    await expect(bad({ subject: {} })).rejects.toMatchObject({
      line: 2,
      reason: expect.stringMatching(/no subject.id/),
    });
    await expect(
      bad({ subject: { id: 'X' }, diseases: [{ term: { id: 'OMIM:154700' } }] }),
    ).rejects.toMatchObject({
      reason: expect.stringMatching(/not an HPO or MONDO CURIE/),
    });
    await expect(
      bad({ subject: { id: 'X' }, phenotypicFeatures: [{ type: { id: 'HP:0000001' } }] }),
    ).rejects.toMatchObject({
      reason: 'term HP:0000001 is not in the ontology',
    });
    await expect(readPhenopackets({ text: '{"subject": ' }, options)).rejects.toBeInstanceOf(
      PhenotypeFormatError,
    );
    await expect(
      readPhenopackets(
        { text: JSON.stringify([PACKET, { ...PACKET, subject: { id: 'P-7', sex: 'MALE' } }]) },
        options,
      ),
    ).rejects.toThrow(/different sex/);
  });
});

describe('readParticipantTable', () => {
  it('reads what the generator writes, and refuses bad rows', async () => {
    const rows = await readParticipantTable(
      file('pseudonym\tsex\tbirth_year\nP-1\tfemale\t1980\nP-2\tunknown\t\n'),
    );
    expect(rows).toEqual([
      { participant: 'P-1', sex: 'female', birthYear: 1980 },
      { participant: 'P-2', sex: 'unknown' },
    ]);
    await expect(
      readParticipantTable(file('pseudonym\tsex\tbirth_year\nP-1\tF\t1980\n')),
    ).rejects.toMatchObject({ line: 2 });
  });
});
