import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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

/** One export under a grant: the manifest and the VCF subset, fixed at the moment of export. */
export const dataExports = pgTable('data_exports', {
  id: uuid('id').primaryKey(),
  grantId: uuidRef('grant_id', () => grants.id),
  createdBy: uuidRef('created_by', () => users.id),
  createdAt: createdAt(),
  participantCount: integer('participant_count').notNull(),
  variantCount: integer('variant_count').notNull(),
  manifest: jsonb('manifest').notNull(),
  vcf: text('vcf').notNull(),
  vcfSha256: text('vcf_sha256').notNull(),
});

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
