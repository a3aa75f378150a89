import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { datasets } from '../datasets/datasets.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import type { ConsentRequestTiming } from '../../config.js';

/** What a committee does with an election past its deadline (see `dacs.overdueRule`). */
export const OVERDUE_RULES = ['remind', 'chair_closes'] as const;
/** One of `OVERDUE_RULES`. */
export type OverdueRule = (typeof OVERDUE_RULES)[number];

/**
 * A data access committee: it decides the requests for the datasets it governs, with its own
 * quorum (votes needed), chair (whose vote decides once the quorum is reached) and voting period.
 */
export const dacs = pgTable(
  'dacs',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    /** A member whose vote decides; null: the majority decides. */
    chairId: uuid('chair_id').references(() => users.id),
    quorum: integer('quorum').notNull(),
    /** Days the members have to vote once a request reaches the committee. */
    voteDays: integer('vote_days').notNull(),
    /**
     * When participants whose consent says "ask" are asked about a request this committee
     * decides: `before_decision` (at submission, so the committee sees the response rate) or
     * `after_approval`; null: the server's default (CONSENT_REQUESTS_WHEN).
     */
    askParticipants: text('ask_participants').$type<ConsentRequestTiming>(),
    /**
     * What happens once an election passes its deadline: `remind` (the members who have not
     * voted and the chair are told; the election waits for its quorum) or `chair_closes` (they
     * are told, and the chair may close it on the votes cast).
     */
    overdueRule: text('overdue_rule').$type<OverdueRule>().notNull().default('remind'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('dacs_quorum_check', sql`${t.quorum} between 1 and 50`),
    check('dacs_vote_days_check', sql`${t.voteDays} between 1 and 365`),
    check('dacs_overdue_rule_check', sql`${t.overdueRule} in ('remind', 'chair_closes')`),
    check(
      'dacs_ask_participants_check',
      sql`${t.askParticipants} is null or ${t.askParticipants} in ('before_decision', 'after_approval')`,
    ),
  ],
);

/** The ethics board members of a committee. */
export const dacMembers = pgTable(
  'dac_members',
  {
    dacId: uuidRef('dac_id', () => dacs.id),
    userId: uuidRef('user_id', () => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.dacId, t.userId] }), index('dac_members_user_idx').on(t.userId)],
);

/** Which committee governs a dataset: at most one (the key), none until an admin assigns it. */
export const dacDatasets = pgTable(
  'dac_datasets',
  {
    datasetId: uuid('dataset_id')
      .primaryKey()
      .references(() => datasets.id),
    dacId: uuidRef('dac_id', () => dacs.id),
    createdAt: createdAt(),
  },
  (t) => [index('dac_datasets_dac_idx').on(t.dacId)],
);
