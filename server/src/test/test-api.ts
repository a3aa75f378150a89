import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestApi, testConfig, type GqlResponse, type TestApi } from './in-process-api.js';
import { eq } from 'drizzle-orm';
import { createAppServices } from '../app/app-services.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { users } from '../modules/accounts/accounts.tables.js';
import { forgetCachedSessions } from '../modules/accounts/session-cache.js';

export * from './in-process-api.js';

/** A suite's throw-away database and the API over it (see `useTestApi`). */
export interface TestApiFixture {
  /** A test that closes the database puts a fresh one here, so the suite's end disposes it. */
  db: TestDatabase;
  readonly gql: TestApi;
}

/**
 * Registers a suite's hooks for a fresh test database and a test API over it with `config`
 * (the test default unless given) and the service `options` (e.g. a recording `mail` port),
 * closed after the suite. Read the fields inside tests, once `beforeAll` ran.
 */
export function useTestApi(
  config: Config = testConfig(),
  options: Parameters<typeof createAppServices>[2] = {},
): TestApiFixture {
  const fixture = {} as { db: TestDatabase; gql: TestApi };
  beforeAll(async () => {
    fixture.db = await createTestDatabase();
    fixture.gql = createTestApi(
      fixture.db.db,
      config,
      createAppServices(fixture.db.db, config, options),
    );
  });
  afterAll(() => fixture.db?.dispose());
  return fixture;
}

/**
 * The test configuration with the second-factor rules switched on: admins and board members
 * must enrol, and the listed mutations need a second factor confirmed in the last five minutes.
 * The default test configuration leaves them off so other suites test only their own rules.
 */
export function secondFactorConfig(): Config {
  const base = testConfig();
  return testConfig({
    identity: {
      ...base.identity,
      mfaRoles: ['admin', 'ethics_board'],
      stepUpFields: ['castVote', 'revokeGrant', 'changeUserRole', 'createExport'],
      stepUpMaxAgeMs: 5 * 60_000,
    },
  });
}

/** The `extensions.code` of a GraphQL response's first error, if it has one. */
export const errorCode = (res: Pick<GqlResponse, 'errors'>): string | undefined =>
  res.errors?.[0]?.extensions?.code;

/** Marks the user's e-mail address confirmed, as following the verification link would. */
export async function confirmEmail(db: Database, userId: string): Promise<void> {
  await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
  // Written around the service: the session cache (which holds the account for `me`) is told.
  forgetCachedSessions();
}
