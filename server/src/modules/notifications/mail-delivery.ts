import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import type { MailPort } from './mail-port.js';
import { notifications } from './notifications.tables.js';

/**
 * Sends the e-mail of notifications not yet mailed, oldest first, and marks each one sent as
 * it goes: a failure stops the round and the rest wait for the next one (at-least-once).
 */
export async function deliverPendingMail(
  db: Database,
  port: MailPort,
  limit = 100,
): Promise<{ sent: number; failed: number }> {
  const pending = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      email: users.email,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(isNull(notifications.mailedAt))
    .orderBy(asc(notifications.createdAt))
    .limit(limit);
  let sent = 0;
  for (const n of pending) {
    try {
      await port.send({
        to: n.email,
        subject: n.title,
        text: n.link ? `${n.body}\n\nOpen: ${n.link}` : n.body,
        notificationId: n.id,
        kind: n.kind,
      });
    } catch {
      return { sent, failed: 1 };
    }
    await db
      .update(notifications)
      .set({ mailedAt: new Date() })
      .where(and(eq(notifications.id, n.id), isNull(notifications.mailedAt)));
    sent += 1;
  }
  return { sent, failed: 0 };
}
