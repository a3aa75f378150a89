import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { digestSubscriptions } from './notifications.tables.js';

/** How often a digest goes out. */
export const DIGEST_EVERY_MS = 7 * 86_400_000;

/** Turns the weekly summary e-mail on or off for a user. */
export async function setDigestSubscription(tx: Tx, userId: string, on: boolean): Promise<void> {
  // This process's clock, as audit events' `occurred_at` is: the first digest counts events from
  // here, and the database's now() (microseconds) could be later than an event written within
  // the same millisecond.
  if (on)
    await tx
      .insert(digestSubscriptions)
      .values({ userId, subscribedAt: new Date() })
      .onConflictDoNothing();
  else await tx.delete(digestSubscriptions).where(eq(digestSubscriptions.userId, userId));
}

/** Whether the user asked for the weekly summary. */
export async function hasDigestSubscription(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: digestSubscriptions.userId })
    .from(digestSubscriptions)
    .where(eq(digestSubscriptions.userId, userId));
  return Boolean(row);
}

/**
 * Subscriptions whose digest is due at `now` (never sent, or sent a week ago or more), claimed
 * with `FOR UPDATE SKIP LOCKED` so two instances never send the same one.
 */
export function dueDigests(tx: Tx, now: Date, limit = 200) {
  return tx
    .select()
    .from(digestSubscriptions)
    .where(
      or(
        isNull(digestSubscriptions.lastSentAt),
        lt(digestSubscriptions.lastSentAt, new Date(now.getTime() - DIGEST_EVERY_MS)),
      ),
    )
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Records that a user's digest round ran at `now` (sent, or nothing to tell). */
export async function markDigestRound(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx
    .update(digestSubscriptions)
    .set({ lastSentAt: now })
    .where(and(eq(digestSubscriptions.userId, userId)));
}

/** Forgets a user's subscription (their account is being erased). */
export async function deleteDigestSubscription(tx: Tx, userId: string): Promise<void> {
  await tx.delete(digestSubscriptions).where(eq(digestSubscriptions.userId, userId));
}
