import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import { grants } from './grants.tables.js';
import type { GrantRow } from './grants.service.js';

/**
 * A researcher's grants that are active and not past their expiry right now, and only while
 * the account is enabled and still a researcher: a disabled or re-roled account's signed visas
 * stop opening anything at once.
 */
export async function activeGrantsOf(
  db: Queryable,
  researcherId: string,
  now = new Date(),
): Promise<GrantRow[]> {
  const rows = await db
    .select({ grant: grants })
    .from(grants)
    .innerJoin(users, eq(users.id, grants.researcherId))
    .where(
      and(
        eq(grants.researcherId, researcherId),
        eq(grants.status, 'active'),
        gt(grants.expiresAt, now),
        isNull(users.disabledAt),
        eq(users.role, 'researcher'),
      ),
    );
  return rows.map((r) => r.grant);
}
