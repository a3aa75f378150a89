import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { pipelined } from './pipelined.js';
import { queryRows } from './query-rows.js';

describe(`pipelined statements (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.db.execute(sql`create table pipelined_probe (n int primary key)`);
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('answers each statement’s result in the order given', async () => {
    const [, seen, two] = await db.db.transaction((tx) =>
      pipelined([
        () => tx.execute(sql`insert into pipelined_probe values (1)`),
        () => queryRows<{ n: number }>(tx, sql`select 1 as n`),
        () => queryRows<{ two: number }>(tx, sql`select 2 as two`),
      ]),
    );
    expect(seen).toEqual([{ n: 1 }]);
    expect(await queryRows(db.db, sql`select n from pipelined_probe`)).toEqual([{ n: 1 }]);
    expect(two).toEqual([{ two: 2 }]);
  });

  it('throws the failing statement’s error only once every statement settled, and rolls back', async () => {
    let laterSettled = false;
    const error = await db.db
      .transaction((tx) =>
        pipelined([
          () => tx.execute(sql`insert into pipelined_probe values (2)`),
          () => tx.execute(sql`insert into pipelined_probe values (1)`),
          () =>
            tx.execute(sql`select 1`).finally(() => {
              laterSettled = true;
            }),
        ]),
      )
      .catch((e: unknown) => e);
    expect(laterSettled).toBe(true);
    expect(String((error as { cause?: unknown }).cause ?? error)).toMatch(/duplicate key|unique/);
    const rows = await queryRows<{ n: number }>(
      db.db,
      sql`select n from pipelined_probe order by n`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });
});
