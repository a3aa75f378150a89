import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/query-rows.js';
import { actorOf, makeUser } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { createParticipant } from '../../participants/participants.service.js';
import { registerDataset } from '../datasets.service.js';
import { eraseParticipantData } from './participant-data-erasure.js';
import { ingestVcf } from './vcf-ingest.service.js';
import { vcfText } from '../../../test/vcf-text.js';

const operator = systemActor('test');

type CallSetRow = {
  dataset_id: string;
  ingest_id: string | null;
  pos: number;
  alt: string;
  het: number[];
  hom: number[];
  hemi: number[];
};

describe(`calls stored as carrier arrays (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  const datasetIds: string[] = [];
  const people: { id: string; num: number; pseudonym: string }[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const callSets = () =>
    queryRows<CallSetRow>(
      db.db,
      sql`select c.dataset_id, c.ingest_id, v.pos, v.alt, c.het, c.hom, c.hemi
          from variant_call_sets c join variants v on v.id = c.variant_id
          order by v.pos, v.alt, c.id`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-call-sets-'));
    const steward = await makeUser(db.db, 'steward');
    for (const name of ['Call sets A', 'Call sets B'])
      datasetIds.push(
        (
          await db.db.transaction((tx) =>
            registerDataset(tx, actorOf(steward), { name, dataUse: { permission: 'HMB' } }),
          )
        ).id,
      );
    await db.db.transaction(async (tx) => {
      for (let i = 0; i < 4; i += 1) {
        const p = await createParticipant(tx, operator, {
          pseudonym: `P-SET-${i}`,
          sex: 'male',
        });
        people.push({ id: p.id, num: p.num, pseudonym: p.pseudonym });
      }
    });
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores one row per record-allele and ingest, carriers sorted by number whatever the column order', async () => {
    const [p0, p1, p2, p3] = people;
    // Columns in descending participant number, so sorting is the ingest's doing.
    const columns = [p3!, p2!, p1!, p0!].map((p) => p.pseudonym);
    const report = await ingestVcf(db.db, operator, {
      datasetId: datasetIds[0],
      path: write(
        'a.vcf',
        vcfText(columns, [
          '1\t100\t.\tA\tG,T\t.\tPASS\t.\tGT\t0/1\t1/1\t0/2\t1/2',
          'X\t200\t.\tC\tA\t.\tPASS\t.\tGT\t1\t0/0\t1\t0/1',
        ]),
      ),
    });
    expect(report.calls).toBe(8);
    await ingestVcf(db.db, operator, {
      datasetId: datasetIds[1],
      path: write(
        'b.vcf',
        vcfText([p1!.pseudonym, p0!.pseudonym], ['1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/1']),
      ),
    });
    const nums = (...ps: (typeof p0)[]) => ps.map((p) => p!.num);
    const rows = await callSets();
    expect(rows.map(({ ingest_id: _ingest, ...r }) => r)).toEqual([
      // 1:100 A>G: p3 0/1, p2 1/1, p0 1/2 (het for each allele).
      { dataset_id: datasetIds[0], pos: 100, alt: 'G', het: nums(p0, p3), hom: nums(p2), hemi: [] },
      { dataset_id: datasetIds[1], pos: 100, alt: 'G', het: nums(p0, p1), hom: [], hemi: [] },
      { dataset_id: datasetIds[0], pos: 100, alt: 'T', het: nums(p0, p1), hom: [], hemi: [] },
      { dataset_id: datasetIds[0], pos: 200, alt: 'A', het: nums(p0), hom: [], hemi: nums(p1, p3) },
    ]);
    expect(new Set(rows.map((r) => r.ingest_id)).size).toBe(2);
    // The row-wise view unnests the same calls.
    const [viewed] = await queryRows<{ n: number; hemi: number }>(
      db.db,
      sql`select count(*)::int as n, count(*) filter (where zygosity = 3)::int as hemi from variant_calls`,
    );
    expect(viewed).toEqual({ n: 10, hemi: 2 });
  });

  it('erasure removes the number from every array of their datasets and drops rows left empty', async () => {
    const [p0, p1, p2, p3] = people;
    const before = await callSets();
    const erased = await db.db.transaction((tx) => eraseParticipantData(tx, p0!));
    // p0 had a call on 1:100 G in both datasets, 1:100 T and X:200.
    expect(erased.genotypeCalls).toBe(4);
    const after = await callSets();
    expect(after.flatMap((r) => [...r.het, ...r.hom, ...r.hemi])).not.toContain(p0!.num);
    expect(after.map(({ ingest_id: _ingest, ...r }) => r)).toEqual([
      { dataset_id: datasetIds[0], pos: 100, alt: 'G', het: [p3!.num], hom: [p2!.num], hemi: [] },
      { dataset_id: datasetIds[1], pos: 100, alt: 'G', het: [p1!.num], hom: [], hemi: [] },
      { dataset_id: datasetIds[0], pos: 100, alt: 'T', het: [p1!.num], hom: [], hemi: [] },
      {
        dataset_id: datasetIds[0],
        pos: 200,
        alt: 'A',
        het: [],
        hom: [],
        hemi: [p1!.num, p3!.num].sort((a, b) => a - b),
      },
    ]);
    expect(after.map((r) => r.ingest_id)).toEqual(before.map((r) => r.ingest_id));

    // A row whose only carrier is erased goes: it would say the dataset had the site.
    const erasedAgain = await db.db.transaction((tx) => eraseParticipantData(tx, p1!));
    expect(erasedAgain.genotypeCalls).toBe(3);
    const left = await callSets();
    expect(left.map((r) => [r.dataset_id, r.pos, r.alt])).toEqual([
      [datasetIds[0], 100, 'G'],
      [datasetIds[0], 200, 'A'],
    ]);
  });
});
