import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** The drizzle schema object's type. */
export type Schema = typeof schema;

/** A database handle, whichever driver (PGlite or postgres.js) is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** A transaction handle. Services write through this, never through the outer database. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Either a database or a transaction: read-only helpers accept both. */
export type Queryable = Database | Tx;

/** Which engine serves the database. */
export type DriverKind = 'pglite' | 'postgres';

/** An open database with its driver kind and a way to close it. */
export interface DatabaseHandle {
  db: Database;
  kind: DriverKind;
  /** Runs raw SQL (several statements allowed); used by tests and maintenance commands. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
