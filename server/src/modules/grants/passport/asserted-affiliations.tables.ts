import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../accounts/accounts.tables.js';

/**
 * An affiliation an administrator asserted for an account without a provider (a password
 * account): the visa then says `by: system` with us as its source.
 */
export const assertedAffiliations = pgTable('asserted_affiliations', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  value: text('value').notNull(),
  assertedBy: uuid('asserted_by')
    .notNull()
    .references(() => users.id),
  assertedAt: timestamp('asserted_at', { withTimezone: true }).notNull().defaultNow(),
});
