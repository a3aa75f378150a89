import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './database.js';

/**
 * Inserts many rows in slices small enough for PostgreSQL's 65,535 bind parameters (a slice of
 * 2,000 rows allows 32 columns a row).
 */
export async function insertChunked<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: readonly T['$inferInsert'][],
  size = 2_000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size)
    await tx.insert(table).values(rows.slice(i, i + size) as T['$inferInsert'][]);
}
