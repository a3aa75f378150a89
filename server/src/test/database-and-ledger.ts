import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A throw-away database and a chain, opened before a suite's tests and closed after them. */
export interface DatabaseAndLedger<L> {
  readonly db: TestDatabase;
  readonly chain: L;
}

/**
 * Registers the suite's `beforeAll`/`afterAll` for a fresh test database and the chain `open`
 * gives (embedded or wasmd), so each chain suite does not spell the same hooks out again. Read
 * the fields inside tests: they are set once `beforeAll` has run.
 */
export function useDatabaseAndLedger<L extends { close(): Promise<void> }>(
  open: () => Promise<L>,
): DatabaseAndLedger<L> {
  const fixture = {} as { db: TestDatabase; chain: L };
  beforeAll(async () => {
    fixture.db = await createTestDatabase();
    fixture.chain = await open();
  });
  afterAll(async () => {
    await fixture.chain?.close();
    await fixture.db?.dispose();
  });
  return fixture;
}
