import type { SQL } from 'drizzle-orm';
import type { Queryable } from './database.js';

/**
 * Runs raw SQL and returns its rows. PGlite answers `{ rows }` and postgres.js an array; this
 * hides the difference for the few places that need raw SQL.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Queryable,
  query: SQL,
): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}
