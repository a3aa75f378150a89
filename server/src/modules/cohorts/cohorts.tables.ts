import { bigserial, index, pgTable } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { timestamptz, uuidRef } from '../../db/columns.js';

/** One count query by one user: the per-user budget counts these. */
export const countQueries = pgTable(
  'count_queries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [index('count_queries_user_idx').on(t.userId, t.at)],
);
