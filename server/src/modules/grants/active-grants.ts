import { and, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import { studies } from '../studies/studies.tables.js';
import { grants } from './grants.tables.js';

// Not grants.service.ts's GrantRow: that service imports this file (no import cycles).
type GrantRow = typeof grants.$inferSelect;

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

/**
 * Claims the active grants that also meet `conditions`, for a sweep, each with its study's
 * title: locked `FOR UPDATE SKIP LOCKED` (the grant rows only), so two sweepers running at once
 * never handle the same grant.
 */
export async function claimActiveGrants(
  tx: Tx,
  ...conditions: SQL[]
): Promise<{ grant: GrantRow; title: string }[]> {
  return tx
    .select({ grant: grants, title: studies.title })
    .from(grants)
    .innerJoin(studies, eq(studies.id, grants.studyId))
    .where(and(eq(grants.status, 'active'), ...conditions))
    .for('update', { of: grants, skipLocked: true });
}
