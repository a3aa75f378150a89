import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

/**
 * Public-tier Beacon queries (anonymous callers, signed-in participants) per client and minute:
 * what the per-client rate limit and daily cap count, and what is sealed into one audit event
 * per client and minute (`beacon.query.public`) instead of one anchored event per query.
 * `client` is an HMAC of the client address under a server secret, never the address itself.
 * Kept in the database so the limits hold across API instances.
 */
export const beaconPublicQueries = pgTable(
  'beacon_public_queries',
  {
    client: text('client').notNull(),
    /** The minute the queries arrived in (truncated). */
    minute: timestamptz('minute').notNull(),
    /** Every query that arrived, refused ones included. */
    queries: integer('queries').notNull().default(0),
    /** Refused by the rate limit or the daily cap. */
    refused: integer('refused').notNull().default(0),
    /** Answered `exists: true`. */
    hits: integer('hits').notNull().default(0),
    /** Up to 20 distinct criteria digests asked in the minute. */
    criteria: jsonb('criteria')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** When this row was sealed into the audit trail; null until then. */
    auditedAt: timestamptz('audited_at'),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.minute] }),
    index('beacon_public_queries_unsealed_idx').on(t.auditedAt, t.minute),
  ],
);

/**
 * Federated counts each other member of the network asked this Beacon, per UTC day: every
 * calling member has its own daily budget here (`FEDERATION_MEMBER_BUDGET_PER_DAY`), so one
 * member's researchers cannot spend this site's answers for the whole network. `member` is the
 * caller's id in the chain registry (an institution, never a person).
 */
export const beaconMemberBudgets = pgTable(
  'beacon_member_budgets',
  {
    member: text('member').notNull(),
    /** The UTC day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** Counts answered (refused ones are not spent). */
    spent: integer('spent').notNull().default(0),
    /** Counts refused because the budget was spent. */
    refused: integer('refused').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.member, t.day] })],
);
