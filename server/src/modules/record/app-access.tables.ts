import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import { participants } from '../participants/participants.tables.js';

/**
 * An app a participant authorised to read their own record (SMART on FHIR patient access in
 * spirit): a bearer token with scope `patient/*.read` that reads only their
 * `Patient/$everything`, until `expiresAt` or until they revoke it. Only the token's SHA-256 is
 * kept; the token itself is shown once, when it is issued.
 */
export const recordAppTokens = pgTable(
  'record_app_tokens',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    appName: text('app_name').notNull(),
    scope: text('scope').notNull(),
    tokenSha256: text('token_sha256').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('record_app_tokens_token_idx').on(t.tokenSha256),
    index('record_app_tokens_participant_idx').on(t.participantId),
    check('record_app_tokens_scope_check', sql`${t.scope} = 'patient/*.read'`),
  ],
);
