import { sql } from 'drizzle-orm';
import { check, customType, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { participants } from '../participants/participants.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * The versions of the paper consent form sites use. A paper decision names the version the
 * participant signed; one not registered here is refused.
 */
export const consentFormVersions = pgTable('consent_form_versions', {
  version: text('version').primaryKey(),
  title: text('title').notNull(),
  createdAt: createdAt(),
});

/**
 * A decision a participant took on paper or in person, recorded by their site's consent
 * coordinator: which form, the scan (its bytes and SHA-256), the day it was signed and who
 * witnessed it. The decision itself is written by the consent or studies module, institution-
 * attested on chain; this row is its paper trail.
 */
export const paperConsentRecords = pgTable(
  'paper_consent_records',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    recordedBy: uuidRef('recorded_by', () => users.id),
    /** The coordinator's institution when they recorded it (shown to the participant). */
    institution: text('institution').notNull(),
    kind: text('kind').notNull(),
    /** For an answer to a study request: which request. */
    consentRequestId: uuid('consent_request_id'),
    formVersion: text('form_version')
      .notNull()
      .references(() => consentFormVersions.version),
    signedOn: date('signed_on', { mode: 'string' }).notNull(),
    witnessName: text('witness_name').notNull(),
    scanName: text('scan_name').notNull(),
    scanSha256: text('scan_sha256').notNull(),
    scan: bytea('scan').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('paper_consent_records_participant_idx').on(t.participantId),
    check(
      'paper_consent_records_kind_check',
      sql`${t.kind} in ('preferences', 'answer', 'withdrawal')`,
    ),
  ],
);
