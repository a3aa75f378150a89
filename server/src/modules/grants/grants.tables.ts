import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
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
import { participants } from '../participants/participants.tables.js';
import { studies } from '../studies/studies.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/**
 * Access granted to a study's researcher on approval: the datasets, the conditions (obligations
 * and the board's), the expiry and the Merkle root of the cohort's pseudonyms anchored on chain.
 */
export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey(),
    studyId: uuid('study_id')
      .notNull()
      .unique()
      .references(() => studies.id),
    researcherId: uuidRef('researcher_id', () => users.id),
    datasetIds: uuid('dataset_ids').array().notNull(),
    conditions: jsonb('conditions').notNull(),
    status: text('status').notNull(),
    cohortRoot: text('cohort_root').notNull(),
    memberCount: integer('member_count').notNull(),
    issuedAt: timestamptz('issued_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    endedAt: timestamptz('ended_at'),
    endReason: text('end_reason'),
    expiryNoticeAt: timestamptz('expiry_notice_at'),
    /**
     * The next annual renewal: the grant continues past it only if its committee renews it on a
     * progress report (grant-renewals.service.ts). A year after issue, then a year on per renewal.
     */
    renewalDueAt: timestamptz('renewal_due_at').notNull(),
    /** Renewal reminders sent for the current renewal date (0–3: at 60, 30 and 7 days). */
    renewalRemindersSent: integer('renewal_reminders_sent').notNull().default(0),
    /** When the sweep found the renewal date passed without a renewal; the committee decides. */
    renewalOverdueAt: timestamptz('renewal_overdue_at'),
  },
  (t) => [
    index('grants_researcher_idx').on(t.researcherId),
    check(
      'grants_status_check',
      sql`${t.status} in ('active', 'expired', 'revoked', 'closed_out')`,
    ),
  ],
);

/** The participants whose consent permitted the study when the grant was issued. */
export const grantMembers = pgTable(
  'grant_members',
  {
    grantId: uuidRef('grant_id', () => grants.id),
    participantId: uuidRef('participant_id', () => participants.id),
  },
  (t) => [
    primaryKey({ columns: [t.grantId, t.participantId] }),
    index('grant_members_participant_idx').on(t.participantId),
  ],
);

/**
 * One export under a grant: the manifest and the VCF subset, fixed at the moment of export. The
 * VCF is a BGZF file with a tabix index in the file store (`vcfFileKey`, the index at the same
 * key + `.tbi`), with its size and the SHA-256 of its bytes. Exports made before the file store
 * (migration 0033) keep their plain-text VCF in `vcf` and are served from it.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: uuid('id').primaryKey(),
    grantId: uuidRef('grant_id', () => grants.id),
    createdBy: uuidRef('created_by', () => users.id),
    createdAt: createdAt(),
    participantCount: integer('participant_count').notNull(),
    variantCount: integer('variant_count').notNull(),
    manifest: jsonb('manifest').notNull(),
    /** The plain-text VCF of an export made before the file store; null since. */
    vcf: text('vcf'),
    vcfFileKey: text('vcf_file_key'),
    vcfBytes: bigint('vcf_bytes', { mode: 'number' }),
    vcfSha256: text('vcf_sha256').notNull(),
  },
  (t) => [
    check(
      'data_exports_vcf_one_place_check',
      sql`(${t.vcf} is null) <> (${t.vcfFileKey} is null) and (${t.vcfFileKey} is null) = (${t.vcfBytes} is null)`,
    ),
  ],
);

/** Who an export included, under which export-specific sample id. */
export const exportMembers = pgTable(
  'export_members',
  {
    exportId: uuidRef('export_id', () => dataExports.id),
    participantId: uuidRef('participant_id', () => participants.id),
    sampleId: text('sample_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.exportId, t.participantId] }),
    index('export_members_participant_idx').on(t.participantId),
  ],
);

/** What a committee decided on a renewal report. */
export const RENEWAL_STATUSES = ['submitted', 'renewed', 'not_renewed'] as const;

/**
 * The researcher's annual progress report, which asks the grant's committee to renew it for the
 * renewal date `dueAt`: what was done, what was published, any incidents (data breaches, misuse,
 * consent problems). One per grant and renewal date; a committee member decides it.
 */
export const grantRenewals = pgTable(
  'grant_renewals',
  {
    id: uuid('id').primaryKey(),
    grantId: uuidRef('grant_id', () => grants.id),
    dueAt: timestamptz('due_at').notNull(),
    workDone: text('work_done').notNull(),
    publications: text('publications')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Incidents during the year; null: the researcher declared none. */
    incidents: text('incidents'),
    submittedBy: uuidRef('submitted_by', () => users.id),
    submittedAt: timestamptz('submitted_at').notNull(),
    status: text('status').notNull().default('submitted'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamptz('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [
    unique('grant_renewals_grant_due_uq').on(t.grantId, t.dueAt),
    check(
      'grant_renewals_status_check',
      sql.raw(`status in (${RENEWAL_STATUSES.map((s) => `'${s}'`).join(', ')})`),
    ),
  ],
);

/**
 * The closeout of a grant: the principal investigator attests that every copy of the data was
 * destroyed, which ends the grant; the signing official of their institution countersigns
 * (`countersignCloseout`, role `signing_official`), which may come later.
 */
export const grantCloseouts = pgTable('grant_closeouts', {
  grantId: uuid('grant_id')
    .primaryKey()
    .references(() => grants.id),
  destroyedOn: date('destroyed_on').notNull(),
  /** How the data was destroyed (method, copies, storage). */
  statement: text('statement').notNull(),
  attestedBy: uuidRef('attested_by', () => users.id),
  attestedAt: timestamptz('attested_at').notNull(),
  countersignedBy: uuid('countersigned_by').references(() => users.id),
  countersignedAt: timestamptz('countersigned_at'),
});
