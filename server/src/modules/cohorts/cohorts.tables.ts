import { bigserial, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';

/** One count query by one user: the per-user budget counts these. */
export const countQueries = pgTable(
  'count_queries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('count_queries_user_idx').on(t.userId, t.at)],
);
