import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  serial,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
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
    /**
     * The study site that enrolled the participant (the enrolling steward's institution). Its
     * consent coordinators may record paper decisions for them; null: no site recorded.
     */
    site: text('site'),
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

/**
 * A legally authorised representative (parent, guardian) linked to a participant by their site's
 * consent coordinator. While the link holds (until `endsOn`, exclusive, and not `endedAt`) the
 * representative's participant-portal account may act for the participant. When it ends the
 * participant is asked to confirm or change what was decided for them (`confirmedAt`).
 */
export const participantRepresentatives = pgTable(
  'participant_representatives',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    representativeUserId: uuidRef('representative_user_id', () => users.id),
    relationship: text('relationship').notNull(),
    /** The first day the representative may no longer act (date of majority, or a set date). */
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    endReason: text('end_reason').notNull(),
    linkedBy: uuid('linked_by').references(() => users.id),
    createdAt: createdAt(),
    /** When the end was processed and the participant asked to confirm. */
    endedAt: timestamptz('ended_at'),
    /** When the participant confirmed the decisions made for them. */
    confirmedAt: timestamptz('confirmed_at'),
  },
  (t) => [
    index('participant_representatives_participant_idx').on(t.participantId),
    index('participant_representatives_user_idx').on(t.representativeUserId),
    check(
      'participant_representatives_relationship_check',
      sql`${t.relationship} in ('parent', 'guardian', 'other_legal')`,
    ),
    check(
      'participant_representatives_end_reason_check',
      sql`${t.endReason} in ('majority', 'date')`,
    ),
  ],
);
