import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../accounts/accounts.tables.js';
import { timestamptz, uuidRef } from '../../../db/columns.js';

/**
 * An affiliation an administrator asserted for an account without a provider (a password
 * account): the visa then says `by: system` with us as its source.
 */
export const assertedAffiliations = pgTable('asserted_affiliations', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  value: text('value').notNull(),
  assertedBy: uuidRef('asserted_by', () => users.id),
  assertedAt: timestamptz('asserted_at').notNull().defaultNow(),
});
