import { sql } from 'drizzle-orm';
import { check, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { studies } from '../studies/studies.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';

/** One board member's vote on one study: once per member, with a rationale and conditions. */
export const reviewVotes = pgTable(
  'review_votes',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
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
    unique('review_votes_study_member_uq').on(t.studyId, t.memberId),
    check('review_votes_vote_check', sql`${t.vote} in ('approve', 'reject')`),
  ],
);
