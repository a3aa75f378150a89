import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { DatabaseHandle } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';

/** Which driver the suite runs on: `TEST_DRIVER=postgres` for the server, PGlite otherwise. */
export const TEST_DRIVER = process.env.TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database for one test file, and how to throw it away. */
export interface TestDatabase extends DatabaseHandle {
  /** The PostgreSQL URL of this database (server driver only), for spawned processes. */
  url?: string;
  dispose(): Promise<void>;
}

/**
 * Creates a fresh database migrated by the production migrator: an in-memory PGlite, or a new
 * database on the PostgreSQL server (dropped afterwards). Each test file gets its own.
 * `migrationsFolder` migrates with another folder (a test of a migration starts older).
 */
export async function createTestDatabase(
  options: { migrationsFolder?: string } = {},
): Promise<TestDatabase> {
  if (TEST_DRIVER === 'pglite') {
    const handle = await openDatabase({ pgliteDir: 'memory://' });
    await migrateDatabase(handle, options.migrationsFolder);
    return { ...handle, dispose: () => handle.close() };
  }
  const name = `consentome_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  await migrateDatabase(handle, options.migrationsFolder);
  return {
    ...handle,
    url: url.toString(),
    dispose: async () => {
      await handle.close();
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
