import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/**
 * An in-app notification for one user; `mailedAt` is set once the outbound mail port has
 * delivered it (or logged it when no SMTP server is configured).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** A portal path, never carrying personal data. */
    link: text('link'),
    createdAt: createdAt(),
    readAt: timestamptz('read_at'),
    mailedAt: timestamptz('mailed_at'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/** Who asked for the weekly e-mail summary, and when the last one went out. */
export const digestSubscriptions = pgTable('digest_subscriptions', {
  userId: uuidRef('user_id', () => users.id).primaryKey(),
  subscribedAt: timestamptz('subscribed_at').notNull().defaultNow(),
  lastSentAt: timestamptz('last_sent_at'),
});
