import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from './query-rows.js';
import { openDatabase } from './open-database.js';
import { TEST_DRIVER, createTestDatabase } from '../test/test-database.js';

const countPrepared = (text: string) =>
  sql`select count(*)::int as n from pg_prepared_statements where statement = ${text}`;
const PROBE = 'select $1::int + 1 as answer';

// Prepared statements are a PostgreSQL server matter: PGlite runs in-process, one call per query.
describe.runIf(TEST_DRIVER === 'postgres')('queries as prepared statements (postgres)', () => {
  it('runs a repeated query as one named prepared statement on its connection, unless DATABASE_PREPARE=false', async () => {
    const db = await createTestDatabase();
    const unprepared = await openDatabase({ url: db.url!, prepare: false });
    try {
      for (const [handle, expected] of [
        [db, 1],
        [unprepared, 0],
      ] as const) {
        // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
        const n = await handle.db.transaction(async (tx) => {
          for (let i = 0; i < 3; i += 1) {
            // drizzle sends this as PROBE with one parameter.
            const [row] = await queryRows<{ answer: number }>(
              tx,
              sql`select ${i}::int + 1 as answer`,
            );
            expect(row?.answer).toBe(i + 1);
          }
          const [row] = await queryRows<{ n: number }>(tx, countPrepared(PROBE));
          return row!.n;
        });
        expect(n).toBe(expected);
      }
    } finally {
      await unprepared.close();
      await db.dispose();
    }
  });
});
