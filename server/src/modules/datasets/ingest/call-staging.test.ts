import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../../../test/test-database.js';
import {
  CallSetText,
  DuplicateCallError,
  createCallStaging,
  publishCallSets,
} from './call-staging.js';
import { variants } from './ingest.tables.js';

/**
 * The repeated-call check on a record-allele carried by a biobank's worth of samples: naming the
 * repeat must not depend on how many carriers the two rows share.
 */
describe(`the repeated-call check at biobank scale (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let variantId = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    const [v] = await db.db
      .insert(variants)
      .values({ chrom: '1', pos: 100, ref: 'A', alt: 'G' })
      .returning({ id: variants.id });
    variantId = v!.id;
  });
  afterAll(() => db.dispose());

  it('names the lowest repeated participant when 200,000 carriers repeat', async () => {
    // Numbers need no participant rows: the check compares numbers only.
    const carriers = Array.from({ length: 200_000 }, (_, i) => i + 1);
    const datasetId = randomUUID();
    const batchOf = (line: number) => {
      const text = new CallSetText();
      text.row(line, variantId, [...carriers], [], []);
      return text.take();
    };
    const stored = await db.db.transaction(async (tx) => {
      const staging = await createCallStaging(tx, datasetId, randomUUID(), []);
      await publishCallSets(staging, batchOf(10));
      return 'stored';
    });
    expect(stored).toBe('stored');
    // A second file of the same samples (all samples of the dataset already) repeats them all.
    const refused = await db.db
      .transaction(async (tx) => {
        const staging = await createCallStaging(tx, datasetId, randomUUID(), carriers);
        await publishCallSets(staging, batchOf(12));
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DuplicateCallError);
    expect((refused as DuplicateCallError).duplicate).toMatchObject({
      line: 12,
      participantNum: 1,
      chrom: '1',
      pos: 100,
      earlierLine: null,
      storedByThisIngest: false,
    });
  }, 60_000);
});
