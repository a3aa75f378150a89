import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Column builders the tables repeat. They only shorten the declarations: the columns they build
 * are the ones written out before, so the schema (and the migrations) do not change.
 */

/** A `timestamp with time zone` column. */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true });
}

/** `created_at`: when the row was written, set by the database. */
export function createdAt() {
  return timestamptz('created_at').notNull().defaultNow();
}

/** A required reference to another table's uuid key. */
export function uuidRef(name: string, target: () => AnyPgColumn) {
  return uuid(name).notNull().references(target);
}
