import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';
import { dacs } from './dacs.tables.js';

/**
 * A committee's data use agreement, versioned: publishing a new text adds a row with the next
 * version, and the highest version is the current one. Rows are never changed, so what someone
 * accepted stays readable.
 */
export const dataUseAgreements = pgTable(
  'data_use_agreements',
  {
    id: uuid('id').primaryKey(),
    dacId: uuidRef('dac_id', () => dacs.id),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    /** SHA-256 of the text: what acceptances' audit events (and so the chain anchors) carry. */
    textSha256: text('text_sha256').notNull(),
    /** Who published it; null: the platform (the demo seed). */
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: createdAt(),
  },
  (t) => [
    unique('data_use_agreements_dac_version_uq').on(t.dacId, t.version),
    check('data_use_agreements_version_check', sql`${t.version} >= 1`),
  ],
);

/** In which capacity someone accepts an agreement. */
export const AGREEMENT_CAPACITIES = ['principal_investigator', 'signing_official'] as const;

/** One person's acceptance of one version of an agreement: who, which version, when. */
export const dataUseAgreementAcceptances = pgTable(
  'data_use_agreement_acceptances',
  {
    agreementId: uuidRef('agreement_id', () => dataUseAgreements.id),
    userId: uuidRef('user_id', () => users.id),
    capacity: text('capacity').notNull(),
    acceptedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.agreementId, t.userId] }),
    index('data_use_agreement_acceptances_user_idx').on(t.userId),
    check(
      'data_use_agreement_acceptances_capacity_check',
      sql.raw(`capacity in (${AGREEMENT_CAPACITIES.map((c) => `'${c}'`).join(', ')})`),
    ),
  ],
);
