import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFixtureOntologyAndSteward } from '../../../test/cohort-fixture.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { datasets } from '../../datasets/datasets.tables.js';
import { toCallSets } from '../../datasets/ingest/call-sets.js';
import { samples, variantCallSets, variants } from '../../datasets/ingest/ingest.tables.js';
import { participants } from '../../participants/participants.tables.js';
import { writeExportVcf } from './export-vcf.js';

/**
 * What a genotype without a stored call becomes: 0/0 where one of the sample's granted datasets
 * had the site, ./. where none did; the call with more alternate alleles wins across datasets.
 */
describe(`export VCF genotypes (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  const A = randomUUID();
  const B = randomUUID();
  const nums: number[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.db.transaction(async (tx) => {
      const stewardId = await insertFixtureOntologyAndSteward(tx);
      for (const id of [A, B])
        await tx.insert(datasets).values({
          id,
          name: `genotypes-${id.slice(0, 8)}`,
          description: '',
          stewardId,
          duoPermission: 'GRU',
        });
      // p1 in A, p2 in B, p3 in both, p4 in neither.
      const people = await tx
        .insert(participants)
        .values(
          [1, 2, 3, 4].map((i) => ({
            id: randomUUID(),
            pseudonym: `P-GT-${i}`,
            sex: 'female',
            birthYear: 1980,
            status: 'enrolled',
            discoverable: true,
          })),
        )
        .returning({ id: participants.id, num: participants.num });
      nums.push(...people.map((p) => p.num));
      const [p1, p2, p3] = people;
      await tx.insert(samples).values([
        { datasetId: A, sampleId: 'a1', participantId: p1!.id },
        { datasetId: B, sampleId: 'b2', participantId: p2!.id },
        { datasetId: A, sampleId: 'a3', participantId: p3!.id },
        { datasetId: B, sampleId: 'b3', participantId: p3!.id },
      ]);
      const vs = await tx
        .insert(variants)
        .values([
          { chrom: '1', pos: 100, ref: 'A', alt: 'G', gene: null },
          { chrom: '1', pos: 200, ref: 'C', alt: 'T', gene: null },
          { chrom: 'X', pos: 300, ref: 'G', alt: 'A', gene: 'DMD' },
          { chrom: '2', pos: 400, ref: 'T', alt: 'C', gene: null },
        ])
        .returning({ id: variants.id });
      const call = (d: string, v: number, p: number, zygosity: number) => ({
        datasetId: d,
        variantId: vs[v]!.id,
        participantNum: p,
        zygosity,
      });
      await tx
        .insert(variantCallSets)
        .values(
          toCallSets([
            call(A, 0, p1!.num, 1),
            call(B, 1, p2!.num, 2),
            call(A, 2, p3!.num, 3),
            call(A, 3, p3!.num, 1),
            call(B, 3, p3!.num, 2),
          ]),
        );
    });
  }, 120_000);
  afterAll(() => db.dispose());

  it('writes 0/0 where a dataset of the sample had the site, ./. where none did', async () => {
    const vcfOut = new PassThrough();
    const indexOut = new PassThrough();
    const vcfBytes = buffer(vcfOut);
    const indexBytes = buffer(indexOut);
    const written = await db.db.transaction((tx) =>
      writeExportVcf(
        tx,
        {
          exportId: randomUUID(),
          grantId: randomUUID(),
          datasetIds: [A, B],
          samples: nums.map((num, i) => ({ num, sampleId: `S${i + 1}` })),
        },
        vcfOut,
        indexOut,
      ),
    );
    vcfOut.end();
    indexOut.end();
    const vcf = gunzipSync(await vcfBytes).toString();
    expect(
      gunzipSync(await indexBytes)
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('TBI\x01');
    expect(written.variantCount).toBe(4);
    const rows = vcf
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    // Sorted 1, 2, X; genotypes of S1 (A), S2 (B), S3 (A and B), S4 (neither).
    expect(rows.map((r) => [r[0], r[1], ...r.slice(9)])).toEqual([
      ['1', '100', '0/1', './.', '0/0', './.'],
      ['1', '200', './.', '1/1', '0/0', './.'],
      ['2', '400', '0/0', '0/0', '1/1', './.'],
      ['X', '300', '0/0', './.', '1', './.'],
    ]);
    expect(rows[3]![7]).toBe('GENE=DMD');
  });

  it('a failing statement is reported as itself, not as the clean-up refused after it', async () => {
    // The dataset id is no uuid: the variants query fails and aborts the transaction. The
    // temporary table's drop must not then replace that error with "transaction is aborted".
    const attempt = db.db.transaction((tx) =>
      writeExportVcf(
        tx,
        {
          exportId: randomUUID(),
          grantId: randomUUID(),
          datasetIds: ['not-a-uuid'],
          samples: nums.map((num, i) => ({ num, sampleId: `S${i + 1}` })),
        },
        new PassThrough(),
        new PassThrough(),
      ),
    );
    await expect(attempt).rejects.toThrow(/select v\.id/);
  });
});
