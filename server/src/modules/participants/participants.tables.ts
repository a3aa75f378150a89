import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, serial, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

export const participants = pgTable(
  'participants',
  {
    id: uuid('id').primaryKey(),
    /** Compact number for genotype calls and in-memory bitmaps (never shown outside the server). */
    num: serial('num').notNull().unique(),
    pseudonym: text('pseudonym').notNull().unique(),
    sex: text('sex').notNull(),
    birthYear: integer('birth_year'),
    status: text('status').notNull(),
    userId: uuid('user_id')
      .unique()
      .references(() => users.id),
    createdAt: createdAt(),
    enrolledAt: timestamptz('enrolled_at'),
    withdrawnAt: timestamptz('withdrawn_at'),
    /** Counted in discovery queries (a standing consent preference; withdrawn are never counted). */
    discoverable: boolean('discoverable').notNull().default(true),
  },
  (t) => [
    check('participants_sex_check', sql`${t.sex} in ('female', 'male', 'other', 'unknown')`),
    check('participants_status_check', sql`${t.status} in ('invited', 'enrolled', 'withdrawn')`),
    check(
      'participants_birth_year_check',
      sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`,
    ),
  ],
);

/** One-time codes that link a participant account to a participant record; stored as digests. */
export const enrolmentCodes = pgTable(
  'enrolment_codes',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    codeHash: text('code_hash').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    usedBy: uuid('used_by').references(() => users.id),
  },
  (t) => [index('enrolment_codes_participant_idx').on(t.participantId)],
);
