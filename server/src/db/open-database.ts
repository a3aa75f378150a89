import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';
import { noDelaySocketOption } from './no-delay-socket.js';
import { preparingClient } from './prepared-statements.js';
import type { Database, DatabaseHandle } from './database.js';

/** Where to find the database: a PostgreSQL URL, or a PGlite data directory ('memory://' for tests). */
export type DatabaseLocation = { url: string; prepare?: boolean } | { pgliteDir: string };

/**
 * Opens the database behind one interface: postgres.js for a PostgreSQL server, PGlite for the
 * embedded default. Both get the same drizzle schema, so every code path serves both.
 */
export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  if ('url' in location) {
    const sql = postgres(location.url, {
      max: 10,
      onnotice: () => {},
      // Not in postgres.js's types, but a documented option (`socket`) of its connection.
      ...noDelaySocketOption(location.url),
    });
    const client = location.prepare === false ? sql : preparingClient(sql);
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      exec: async (text) => {
        await sql.unsafe(text);
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const dir = location.pgliteDir;
  if (dir !== 'memory://') fs.mkdirSync(path.dirname(dir), { recursive: true });
  const client = await PGlite.create(dir === 'memory://' ? undefined : dir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    exec: async (text) => {
      await client.exec(text);
    },
    close: () => client.close(),
  };
}
