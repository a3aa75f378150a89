import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestApi, type TestApi } from './in-process-api.js';

export * from './in-process-api.js';

/** A suite's throw-away database and the API over it (see `useTestApi`). */
export interface TestApiFixture {
  /** A test that closes the database puts a fresh one here, so the suite's end disposes it. */
  db: TestDatabase;
  readonly gql: TestApi;
}

/**
 * Registers a suite's hooks for a fresh test database and a test API over it with the default
 * configuration, closed after the suite. Read the fields inside tests, once `beforeAll` ran.
 */
export function useTestApi(): TestApiFixture {
  const fixture = {} as { db: TestDatabase; gql: TestApi };
  beforeAll(async () => {
    fixture.db = await createTestDatabase();
    fixture.gql = createTestApi(fixture.db.db);
  });
  afterAll(() => fixture.db?.dispose());
  return fixture;
}
