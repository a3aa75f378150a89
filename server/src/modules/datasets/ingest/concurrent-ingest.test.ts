import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/query-rows.js';
import { actorOf, makeUser } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { createParticipant } from '../../participants/participants.service.js';
import { registerDataset } from '../datasets.service.js';
import { ingestVcf } from './vcf-ingest.service.js';
import { vcfText } from '../../../test/vcf-text.js';

const operator = systemActor('test');

/**
 * Starts both ingests, and on a server database keeps whichever would commit first from doing so
 * (a lock on `ingests`, whose row is each ingest's last write) until both are under way: each
 * waiting on a lock, ours or the other's. PGlite has one connection, so its transactions never
 * overlap and the two simply run.
 */
async function runTogether<T>(
  db: TestDatabase,
  start: () => Promise<T>[],
): Promise<PromiseSettledResult<T>[]> {
  if (TEST_DRIVER !== 'postgres') return Promise.allSettled(start());
  const holder = postgres(db.url!, { max: 1, onnotice: () => {} });
  let running: Promise<PromiseSettledResult<T>[]> | null = null;
  try {
    await holder.begin(async (h) => {
      await h`lock table ingests in exclusive mode`;
      running = Promise.allSettled(start());
      for (let i = 0; ; i += 1) {
        // (The activity view is read once per transaction unless its snapshot is cleared.)
        await h`select pg_stat_clear_snapshot()`;
        const [row] = await h<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        if (row!.n >= 2) return;
        if (i >= 1_000) throw new Error('the two ingests never both waited');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
  } finally {
    await holder.end();
    // Our lock is gone (committed, or rolled back by a failure above): both finish.
    await running;
  }
  return running!;
}

/**
 * Two VCF ingests into one dataset at the same time. Calls are stored as carrier arrays with no
 * key that would refuse a repeat, so the repeated-call check must see the other ingest's calls:
 * the ingests of a dataset take turns.
 */
describe(`concurrent VCF ingests into one dataset (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  let datasetId = '';
  let pseudonym = '';
  let num = 0;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-concurrent-ingest-'));
    const steward = await makeUser(db.db, 'steward');
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, actorOf(steward), {
          name: 'Concurrent ingests',
          dataUse: { permission: 'HMB' },
        }),
      )
    ).id;
    const p = await db.db.transaction((tx) =>
      createParticipant(tx, operator, { pseudonym: 'P-CONC-0', sex: 'female' }),
    );
    pseudonym = p.pseudonym;
    num = p.num;
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a call both files make is stored once: the ingest that commits second is refused', async () => {
    const first = write(
      'first.vcf',
      vcfText([pseudonym], ['1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1']),
    );
    const second = write(
      'second.vcf',
      vcfText(
        [pseudonym],
        ['1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t1/1', '1\t300\t.\tC\tT\t.\tPASS\t.\tGT\t0/1'],
      ),
    );
    const outcomes = await runTogether(db, () => [
      ingestVcf(db.db, operator, { datasetId, path: first }),
      ingestVcf(db.db, operator, { datasetId, path: second }),
    ]);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(
      /repeats the call on 1:100 A>G/,
    );
    // Whichever committed first, its calls are all there is: the call both make is stored once.
    const won = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<{
      calls: number;
    }>)!.value;
    const [stored] = await queryRows<{ total: number; shared: number }>(
      db.db,
      sql`select count(*)::int as total, count(*) filter (where v.pos = 100)::int as shared
          from variant_calls c join variants v on v.id = c.variant_id
          where c.dataset_id = ${datasetId} and c.participant_num = ${num}`,
    );
    expect(stored).toEqual({ total: won.calls, shared: 1 });
    const [ingests] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from ingests where dataset_id = ${datasetId}`,
    );
    expect(ingests!.n).toBe(1);
  });

  it('a new variant two datasets ingest at once is stored once, and both files use it', async () => {
    const steward = await makeUser(db.db, 'steward');
    const otherDatasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, actorOf(steward), {
          name: 'Concurrent ingests, another dataset',
          dataUse: { permission: 'HMB' },
        }),
      )
    ).id;
    // On a server, the second insert of the variant waits for the first ingest, which is held
    // back from committing; once it commits, the variant is neither new nor in the snapshot of
    // the waiting statement.
    const file = write(
      'shared-variant.vcf',
      vcfText([pseudonym], ['2\t200\t.\tT\tA\t.\tPASS\t.\tGT\t0/1']),
    );
    const outcomes = await runTogether(db, () =>
      [datasetId, otherDatasetId].map((id) =>
        ingestVcf(db.db, operator, { datasetId: id, path: file }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const stored = await queryRows<{ dataset_id: string; variants: number }>(
      db.db,
      sql`select c.dataset_id, count(distinct v.id)::int as variants
          from variant_calls c join variants v on v.id = c.variant_id
          where v.chrom = '2' and v.pos = 200 and c.participant_num = ${num}
          group by c.dataset_id order by c.dataset_id`,
    );
    expect(stored).toEqual(
      [datasetId, otherDatasetId].sort().map((id) => ({ dataset_id: id, variants: 1 })),
    );
    const [variants] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from variants where chrom = '2' and pos = 200`,
    );
    expect(variants!.n).toBe(1);
  });
});
