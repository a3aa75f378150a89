import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import { dacs } from '../dacs/dacs.tables.js';

/**
 * The committee of this site that decides its researchers' requests for datasets held at other
 * members (remote-access.service.ts). One row at most (`site`): an admin designates it, because
 * no committee here governs another member's dataset.
 */
export const networkRequestCommittee = pgTable(
  'network_request_committee',
  {
    site: text('site').primaryKey().default('site'),
    dacId: uuidRef('dac_id', () => dacs.id),
    setBy: uuidRef('set_by', () => users.id),
    setAt: timestamptz('set_at').notNull().defaultNow(),
  },
  (t) => [check('network_request_committee_site_check', sql`${t.site} = 'site'`)],
);

/**
 * A researcher of this site asking to use a dataset held at another member. Our DAC decides it
 * (`status`); once approved it is this site's grant for that remote dataset (until
 * `expiresAt`), and our server carries it to the holding member: the request there
 * (`remote*`, the holder's answer) and, once the holder approved, the export it returned.
 */
export const remoteAccessRequests = pgTable(
  'remote_access_requests',
  {
    id: uuid('id').primaryKey(),
    researcherId: uuidRef('researcher_id', () => users.id),
    /** The holding member (its chain registry id) and the dataset's URL and id there. */
    member: text('member').notNull(),
    datasetUrl: text('dataset_url').notNull(),
    remoteDatasetId: uuid('remote_dataset_id').notNull(),
    /** The research purpose (ResearchPurposeSchema), sent to the holder with the visa. */
    purpose: jsonb('purpose').notNull(),
    /** The committee that decides it: the one designated for network requests when made. */
    dacId: uuidRef('dac_id', () => dacs.id),
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamptz('decided_at'),
    decisionNote: text('decision_note'),
    /** When this site's grant ends (as a local grant's: the configured default months). */
    expiresAt: timestamptz('expires_at'),
    /** not_sent, pending, approved or refused: the holder's answer as last read. */
    remoteStatus: text('remote_status').notNull().default('not_sent'),
    remoteRequestId: uuid('remote_request_id'),
    /** The holder's reasons (its DUO matcher's, or its refusal), and the last failure to reach it. */
    remoteReasons: jsonb('remote_reasons').notNull().default([]),
    remoteError: text('remote_error'),
    remoteCheckedAt: timestamptz('remote_checked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('remote_access_requests_researcher_idx').on(t.researcherId),
    index('remote_access_requests_dac_idx').on(t.dacId),
    check(
      'remote_access_requests_status_check',
      sql`${t.status} in ('pending', 'approved', 'refused')`,
    ),
    check(
      'remote_access_requests_remote_status_check',
      sql`${t.remoteStatus} in ('not_sent', 'pending', 'approved', 'refused')`,
    ),
  ],
);

/**
 * An export another member made for one of our researchers' approved requests, kept here so the
 * researcher downloads it at this site (the holder does not keep it): one per request. The VCF is
 * text.
 */
export const remoteExports = pgTable(
  'remote_exports',
  {
    id: uuid('id').primaryKey(),
    requestId: uuidRef('request_id', () => remoteAccessRequests.id),
    /** The holder's export id, its sample count and the VCF's SHA-256 as the holder stated it. */
    remoteExportId: text('remote_export_id').notNull(),
    samples: integer('samples').notNull(),
    variants: integer('variants').notNull(),
    vcf: text('vcf').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('remote_exports_request_uq').on(t.requestId)],
);
