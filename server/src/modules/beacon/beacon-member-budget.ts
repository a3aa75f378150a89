import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { beaconMemberBudgets } from './beacon.tables.js';

/** The budget of each calling member when none is configured. */
export const DEFAULT_MEMBER_BUDGET_PER_DAY = 1_000;

/** The UTC day `at` falls in, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Spends one unit of `member`'s budget at this Beacon for today (UTC), atomically: the row is
 * upserted and incremented in one statement, so concurrent queries get distinct numbers and
 * never both take the last unit. When the budget is spent the query is refused, the refusal
 * is counted and audited (`beacon.member_budget.refused`, naming the institution only), and
 * null is returned; the caller commits either way, so the refusal stays recorded.
 * Otherwise returns what is left.
 */
export async function spendMemberBudget(
  tx: Tx,
  member: string,
  perDay: number,
  now = new Date(),
): Promise<number | null> {
  const day = utcDay(now);
  const t = beaconMemberBudgets;
  const [row] = await tx
    .insert(t)
    .values({ member, day, spent: 1 })
    .onConflictDoUpdate({
      target: [t.member, t.day],
      set: { spent: sql`${t.spent} + 1` },
    })
    .returning({ spent: t.spent });
  const spent = row!.spent;
  if (spent <= perDay) return perDay - spent;
  // Over: take the unit back and count the refusal instead.
  await tx
    .update(t)
    .set({ spent: sql`${t.spent} - 1`, refused: sql`${t.refused} + 1` })
    .where(and(eq(t.member, member), eq(t.day, day)));
  await appendAuditEvent(tx, null, {
    action: 'beacon.member_budget.refused',
    targetType: 'network_member',
    targetId: member,
    payload: { member, day, perDay },
  });
  return null;
}
