import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { localeOr, type Locale } from '../../lib/locales.js';
import { users } from '../accounts/accounts.tables.js';
import type { MailPort } from './mail-port.js';
import { notifications } from './notifications.tables.js';

/** The word before the portal link at the foot of a mail, in the recipient's language. */
const OPEN: Record<Locale, string> = { en: 'Open', es: 'Abrir' };

/**
 * Sends the e-mail of notifications not yet mailed, oldest first. A round first claims its
 * rows (marks them mailed, skipping rows another instance holds), so two rounds or two
 * instances never send the same mail; a failed send releases it and the rest of the round for
 * the next round. A crash between claim and send loses that e-mail (the in-app notification
 * stays): at most once, rather than twice. Disabled accounts get no mail, and neither do
 * unconfirmed addresses (a typo or someone else's mailbox must not receive what happens in a
 * study): their rows are claimed all the same, so confirming later does not flush a backlog.
 */
export async function deliverPendingMail(
  db: Database,
  port: MailPort,
  limit = 100,
): Promise<{ sent: number; failed: number }> {
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: notifications.id,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        email: users.email,
        emailVerifiedAt: users.emailVerifiedAt,
        locale: users.locale,
      })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .where(and(isNull(notifications.mailedAt), isNull(users.disabledAt)))
      .orderBy(asc(notifications.createdAt))
      .limit(limit)
      .for('update', { of: notifications, skipLocked: true });
    if (rows.length)
      await tx
        .update(notifications)
        .set({ mailedAt: new Date() })
        .where(
          inArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
        );
    return rows;
  });
  let sent = 0;
  for (const [i, n] of claimed.entries()) {
    if (n.emailVerifiedAt === null) continue;
    try {
      await port.send({
        to: n.email,
        subject: n.title,
        text: n.link ? `${n.body}\n\n${OPEN[localeOr(n.locale)]}: ${n.link}` : n.body,
        notificationId: n.id,
        kind: n.kind,
      });
    } catch {
      await db
        .update(notifications)
        .set({ mailedAt: null })
        .where(
          inArray(
            notifications.id,
            claimed.slice(i).map((r) => r.id),
          ),
        );
      return { sent, failed: 1 };
    }
    sent += 1;
  }
  return { sent, failed: 0 };
}
