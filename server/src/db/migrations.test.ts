import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { migrateDatabase } from './migrate.js';
import { queryRows } from './query-rows.js';

describe(`migrations on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.dispose());

  it('runs on the driver the suite was asked for', () => {
    expect(db.kind).toBe(TEST_DRIVER);
  });

  it('creates every table from an empty database', async () => {
    const rows = await queryRows<{ table_name: string }>(
      db.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        'audit_events',
        'datasets',
        'enrolment_codes',
        'login_attempts',
        'participants',
        'sessions',
        'users',
      ]),
    );
  });

  it('is idempotent: migrating again applies nothing and keeps the data', async () => {
    await db.exec(
      `insert into users (id, email, display_name, role, password_hash) values ('00000000-0000-4000-8000-000000000001', 'x@test.local', 'X', 'admin', 'h')`,
    );
    await migrateDatabase(db);
    const [first] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from users`,
    );
    expect(first?.n).toBe(1);
  });

  it('refuses a role outside the enumeration at the database level too', async () => {
    await expect(
      db.exec(
        `insert into users (id, email, display_name, role, password_hash) values ('00000000-0000-4000-8000-000000000002', 'y@test.local', 'Y', 'superuser', 'h')`,
      ),
    ).rejects.toThrow(/users_role_check/);
  });
});
