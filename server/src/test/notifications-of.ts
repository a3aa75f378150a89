import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { users } from '../modules/accounts/accounts.tables.js';
import { notifications } from '../modules/notifications/notifications.tables.js';

/** Every notification of the account with `email` (throws if there is no such account). */
export async function notificationsOf(db: Database, email: string) {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error(`no account ${email}`);
  return db.select().from(notifications).where(eq(notifications.userId, user.id));
}
