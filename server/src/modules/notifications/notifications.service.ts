import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError, UnauthenticatedError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { deleteDigestSubscription } from './digest-subscriptions.js';
import { notifications } from './notifications.tables.js';

/** A notification as its recipient sees it. */
export type NotificationRecord = typeof notifications.$inferSelect;

function signedIn(actor: Actor | null): string {
  if (actor?.kind !== 'user') throw new UnauthenticatedError();
  return actor.userId;
}

/** The caller's notifications, newest first, with the unread count. */
export async function myNotifications(
  tx: Tx,
  actor: Actor | null,
  input: { unreadOnly?: boolean; limit?: number },
): Promise<{ items: NotificationRecord[]; unread: number }> {
  const userId = signedIn(actor);
  const mine = eq(notifications.userId, userId);
  const items = await tx
    .select()
    .from(notifications)
    .where(input.unreadOnly ? and(mine, isNull(notifications.readAt)) : mine)
    .orderBy(desc(notifications.createdAt))
    .limit(Math.min(Math.max(input.limit ?? 50, 1), 200));
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  return { items, unread: count?.n ?? 0 };
}

/** Marks one of the caller's notifications read (someone else's: not found). */
export async function markNotificationRead(
  tx: Tx,
  actor: Actor | null,
  id: string,
): Promise<NotificationRecord> {
  const userId = signedIn(actor);
  if (!idSchema.safeParse(id).success) throw new NotFoundError('Notification');
  const [row] = await tx
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning();
  if (!row) throw new NotFoundError('Notification');
  return row;
}

/** Marks all of the caller's notifications read; answers how many were unread. */
export async function markAllNotificationsRead(tx: Tx, actor: Actor | null): Promise<number> {
  const userId = signedIn(actor);
  const rows = await tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** Deletes every notification of a user (their account is being erased). */
export async function deleteNotificationsOf(tx: Tx, userId: string): Promise<void> {
  await tx.delete(notifications).where(eq(notifications.userId, userId));
  await deleteDigestSubscription(tx, userId);
}
