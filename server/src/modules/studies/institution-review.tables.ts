import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { libraryCards } from '../signing-officials/library-cards.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';
import { studies } from './studies.tables.js';

/** What the institution decided on a request before any committee saw it. */
export const INSTITUTION_DECISIONS = ['approved', 'returned', 'rejected', 'library_card'] as const;

/**
 * The institution's sign-off on one submission of a request: the signing official approved it,
 * returned it to the researcher or turned it down (with the reason), or the researcher's library
 * card stood in for a fresh approval (`library_card`, with the card and its issuer).
 */
export const institutionReviews = pgTable(
  'institution_reviews',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
    signingOfficialId: uuidRef('signing_official_id', () => users.id),
    decision: text('decision').notNull(),
    reason: text('reason'),
    libraryCardId: uuid('library_card_id').references(() => libraryCards.id),
    decidedAt: createdAt(),
  },
  (t) => [
    index('institution_reviews_study_idx').on(t.studyId),
    check(
      'institution_reviews_decision_check',
      sql.raw(`decision in (${INSTITUTION_DECISIONS.map((d) => `'${d}'`).join(', ')})`),
    ),
  ],
);
