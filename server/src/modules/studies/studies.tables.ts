import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { dacs } from '../dacs/dacs.tables.js';
import { participants } from '../participants/participants.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/** The lifecycle of a study's access request (see studies/README.md for the transitions). */
export const STUDY_STATUSES = [
  'draft',
  // Waiting for the researcher's signing official (institution-review.ts), before any committee.
  'institution_review',
  'submitted',
  'under_review',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
  'revoked',
  'closed_out',
] as const;

/**
 * A researcher's study and its access request: purpose, lay summary shown to participants,
 * evidence digest, the cohort and datasets asked for, and where the request stands.
 */
export const studies = pgTable(
  'studies',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuidRef('owner_id', () => users.id),
    title: text('title').notNull(),
    laySummary: text('lay_summary').notNull(),
    /** The lay summary in Spanish, for Spanish-speaking participants; null: they read the English. */
    laySummaryEs: text('lay_summary_es'),
    /** The research purpose as the DUO matcher reads it. */
    purpose: jsonb('purpose').notNull(),
    collaborators: text('collaborators')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    irbEvidenceSha256: text('irb_evidence_sha256'),
    irbEvidenceName: text('irb_evidence_name'),
    cohortCriteria: jsonb('cohort_criteria'),
    datasetIds: uuid('dataset_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    status: text('status').notNull(),
    /** The DUO match per dataset, frozen at submission: what the board reviews. */
    match: jsonb('match'),
    /**
     * The cohort figures frozen when the study was decided or withdrawn (`StudyCohortSnapshot`):
     * exact for the board, and what the owner was shown. Null while the request is open.
     */
    cohortSnapshot: jsonb('cohort_snapshot'),
    decisionRationale: text('decision_rationale'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    submittedAt: timestamptz('submitted_at'),
    decidedAt: timestamptz('decided_at'),
  },
  (t) => [
    index('studies_owner_idx').on(t.ownerId),
    index('studies_status_idx').on(t.status),
    check(
      'studies_status_check',
      sql.raw(`status in (${STUDY_STATUSES.map((s) => `'${s}'`).join(', ')})`),
    ),
  ],
);

/** Why a participant is asked about a study (see docs/consent-precedence.md). */
export const CONSENT_REQUEST_REASONS = ['ask', 'later_no'] as const;
export type ConsentRequestReason = (typeof CONSENT_REQUEST_REASONS)[number];

/**
 * A participant asked about one study: an inbox item with the lay summary. `reason` says why:
 * `ask`, their consent said "ask"; `later_no`, they said yes to the study, then a standing "no"
 * for a purpose it serves, after the study received data, so they are asked whether that "no"
 * applies to it too. `pending` until answered; `closed` when the study ended before they answered.
 */
export const consentRequests = pgTable(
  'consent_requests',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
    participantId: uuidRef('participant_id', () => participants.id),
    status: text('status').notNull(),
    reason: text('reason').notNull().default('ask'),
    createdAt: createdAt(),
    answeredAt: timestamptz('answered_at'),
    /** Reminders sent while it waits (reminders.ts), and when the last one went. */
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: timestamptz('last_reminded_at'),
  },
  (t) => [
    check(
      'consent_requests_reason_check',
      sql.raw(`reason in (${CONSENT_REQUEST_REASONS.map((r) => `'${r}'`).join(', ')})`),
    ),
    unique('consent_requests_study_participant_uq').on(t.studyId, t.participantId),
    index('consent_requests_participant_idx').on(t.participantId),
    check('consent_requests_status_check', sql`${t.status} in ('pending', 'answered', 'closed')`),
  ],
);

/** A participant's decision on one study, versioned: a change of mind is a new row. */
export const studyDecisions = pgTable(
  'study_decisions',
  {
    participantId: uuidRef('participant_id', () => participants.id),
    studyId: uuidRef('study_id', () => studies.id),
    version: integer('version').notNull(),
    decision: text('decision').notNull(),
    createdAt: createdAt(),
    /** Credential id of the passkey that signed this answer; null: recorded by the institution. */
    signedWith: text('signed_with'),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.studyId, t.version] }),
    index('study_decisions_study_idx').on(t.studyId),
    check('study_decisions_decision_check', sql`${t.decision} in ('permit', 'deny')`),
  ],
);

/** Where one committee's election on a request stands. */
export const ELECTION_STATUSES = ['open', 'approved', 'rejected', 'closed'] as const;

/**
 * One committee's decision on a request: a request over datasets of several committees opens one
 * election per committee (as DUOS does), each over that committee's datasets only. `closed`:
 * the request ended (withdrawn) before the committee decided.
 */
export const studyElections = pgTable(
  'study_elections',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
    dacId: uuidRef('dac_id', () => dacs.id),
    /** The requested datasets this committee governs, frozen at submission. */
    datasetIds: uuid('dataset_ids').array().notNull(),
    status: text('status').notNull().default('open'),
    /** When the members' voting period ends (the committee's vote days after submission). */
    deadlineAt: timestamptz('deadline_at').notNull(),
    /** When the members yet to vote were reminded that the deadline is near (once). */
    remindedAt: timestamptz('reminded_at'),
    /** When the deadline sweep found the election still open past its deadline (once). */
    overdueAt: timestamptz('overdue_at'),
    decidedAt: timestamptz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('study_elections_study_dac_uq').on(t.studyId, t.dacId),
    index('study_elections_dac_idx').on(t.dacId),
    check(
      'study_elections_status_check',
      sql.raw(`status in (${ELECTION_STATUSES.map((s) => `'${s}'`).join(', ')})`),
    ),
  ],
);

/**
 * How a participant wants to be reminded of unanswered consent requests; no row: the default
 * (reminders.ts). Bounded: every 7 to 90 days, at most 1 to 10 reminders per request, or stopped.
 */
export const consentReminderSchedules = pgTable(
  'consent_reminder_schedules',
  {
    participantId: uuid('participant_id')
      .primaryKey()
      .references(() => participants.id),
    everyDays: integer('every_days').notNull(),
    maxReminders: integer('max_reminders').notNull(),
    stopped: boolean('stopped').notNull().default(false),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('consent_reminder_schedules_every_check', sql`${t.everyDays} between 7 and 90`),
    check('consent_reminder_schedules_max_check', sql`${t.maxReminders} between 1 and 10`),
  ],
);
