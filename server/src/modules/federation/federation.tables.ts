import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import { datasets } from '../datasets/datasets.tables.js';

/**
 * A researcher of another member asking to use one of this site's datasets, on the strength of
 * a ControlledAccessGrants visa their own institution's DAC issued (network-access-requests.ts).
 * It is where this site learns the purpose (a visa carries none) and where its own DAC's
 * decision is recorded. `member` and `subject` are the visa's institution (its id in the chain
 * registry) and its pseudonymous `sub` there: no name or e-mail of the researcher is kept.
 */
export const networkAccessRequests = pgTable(
  'network_access_requests',
  {
    id: uuid('id').primaryKey(),
    datasetId: uuidRef('dataset_id', () => datasets.id),
    member: text('member').notNull(),
    subject: text('subject').notNull(),
    /** The `jti` of the visa the request was made with, and when that visa expires. */
    visaJti: text('visa_jti').notNull(),
    visaExpiresAt: timestamptz('visa_expires_at').notNull(),
    /** The research purpose (ResearchPurposeSchema) and this site's DUO verdict on it. */
    purpose: jsonb('purpose').notNull(),
    match: jsonb('match').notNull(),
    status: text('status').notNull(),
    /** Null while pending, and when approved at once (`visa` datasets, purpose matched). */
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamptz('decided_at'),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('network_access_requests_holder_idx').on(t.datasetId, t.member, t.subject),
    check(
      'network_access_requests_status_check',
      sql`${t.status} in ('pending', 'approved', 'refused')`,
    ),
  ],
);
