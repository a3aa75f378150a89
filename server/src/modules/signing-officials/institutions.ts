import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';

/**
 * How institutions are compared: an account's institution is free text an administrator sets, so
 * "Demo University" and " demo university" are the same place.
 */
export function institutionKey(institution: string | null | undefined): string | null {
  const key = institution?.trim().replace(/\s+/g, ' ').toLowerCase();
  return key ? key : null;
}

/** SQL: true when `column` names the institution whose key is `key` (see `institutionKey`). */
export function institutionIs(column: PgColumn, key: string): SQL {
  return sql`lower(regexp_replace(btrim(${column}), '\\s+', ' ', 'g')) = ${key}`;
}

/** True when both name the same (non-empty) institution. */
export function sameInstitution(a: string | null | undefined, b: string | null | undefined) {
  const ka = institutionKey(a);
  return ka !== null && ka === institutionKey(b);
}

/** One account's role, institution and state, or null when there is no such account. */
export async function accountOf(
  tx: Tx,
  userId: string,
): Promise<{ id: string; role: string; institution: string | null; disabled: boolean } | null> {
  const [row] = await tx
    .select({
      id: users.id,
      role: users.role,
      institution: users.institution,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row
    ? { id: row.id, role: row.role, institution: row.institution, disabled: !!row.disabledAt }
    : null;
}

/** The active signing officials of an institution (none for an empty institution). */
export async function signingOfficialsOf(
  tx: Tx,
  institution: string | null | undefined,
): Promise<string[]> {
  const key = institutionKey(institution);
  if (!key) return [];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.role, 'signing_official'),
        isNull(users.disabledAt),
        institutionIs(users.institution, key),
      ),
    );
  return rows.map((r) => r.id);
}
