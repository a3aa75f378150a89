import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/**
 * A library card, as in DUOS: a signing official's standing authorisation for one researcher of
 * their institution, until it expires or is revoked. While it holds, the researcher's requests
 * skip the signing official's fresh approval (library-cards.ts says when exactly).
 */
export const libraryCards = pgTable(
  'library_cards',
  {
    id: uuid('id').primaryKey(),
    researcherId: uuidRef('researcher_id', () => users.id),
    issuedBy: uuidRef('issued_by', () => users.id),
    /** The institution both belonged to at issue; a researcher who moves loses the card. */
    institution: text('institution').notNull(),
    issuedAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [
    index('library_cards_researcher_idx').on(t.researcherId),
    index('library_cards_institution_idx').on(t.institution),
  ],
);
