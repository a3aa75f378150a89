import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { dacs } from '../dacs/dacs.tables.js';
import { dataUseChanges } from '../datasets/datasets.tables.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';

/** One board member's vote on one study: once per member, with a rationale and conditions. */
export const reviewVotes = pgTable(
  'review_votes',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
    /** The committee's election the vote counts in (null: cast before committees existed). */
    electionId: uuid('election_id').references(() => studyElections.id),
    memberId: uuidRef('member_id', () => users.id),
    vote: text('vote').notNull(),
    rationale: text('rationale').notNull(),
    conditions: text('conditions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Why the member approves although the DUO match denied a dataset. */
    overrideReason: text('override_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    // Once per member per election: a member of two committees deciding one request votes in each.
    unique('review_votes_election_member_uq').on(t.electionId, t.memberId),
    check('review_votes_vote_check', sql`${t.vote} in ('approve', 'reject')`),
  ],
);

/**
 * A member's declared conflict of interest on one election: they may not vote in it, and they
 * no longer count towards its quorum.
 */
export const reviewConflicts = pgTable(
  'review_conflicts',
  {
    electionId: uuidRef('election_id', () => studyElections.id),
    memberId: uuidRef('member_id', () => users.id),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.electionId, t.memberId] })],
);

/**
 * One committee member's vote on a pending widening of a dataset's data use: the dataset's own
 * committee decides it, with its quorum and chair, as it decides requests.
 */
export const dataUseChangeVotes = pgTable(
  'data_use_change_votes',
  {
    changeId: uuidRef('change_id', () => dataUseChanges.id),
    /** The committee the member voted for (the dataset's when the vote was cast). */
    dacId: uuidRef('dac_id', () => dacs.id),
    memberId: uuidRef('member_id', () => users.id),
    vote: text('vote').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.changeId, t.memberId] }),
    check('data_use_change_votes_vote_check', sql`${t.vote} in ('approve', 'reject')`),
  ],
);
