import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/** A dataset and the DUO data-use terms of the consent under which it was collected. */
export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    description: text('description').notNull(),
    stewardId: uuidRef('steward_id', () => users.id),
    duoPermission: text('duo_permission').notNull(),
    duoDiseases: text('duo_diseases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    duoModifiers: text('duo_modifiers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The modifiers' values (TS months, MOR date, GS regions, IS/US/PS lists): `DataUseParams`. */
    duoParams: jsonb('duo_params').notNull().default({}),
    /** Bumped each time the data use changes; grants and matches can say which version they saw. */
    dataUseVersion: integer('data_use_version').notNull().default(1),
    /**
     * The consent its participants gave at collection (collection-consent.ts): it governs those
     * who never state their own choices. `collectionDuoCodes` only for `specific`.
     */
    collectionConsent: text('collection_consent').notNull().default('recontact_each_use'),
    collectionDuoCodes: text('collection_duo_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Whether other network members' ControlledAccessGrants visas open this dataset here
     * (network-access.ts): `none` (the default), `visa`, or `visa_and_local_dac`.
     */
    networkAccess: text('network_access').notNull().default('none'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'datasets_collection_consent_check',
      sql`${t.collectionConsent} in ('broad_gru', 'broad_hmb', 'specific', 'recontact_each_use')`,
    ),
    check(
      'datasets_network_access_check',
      sql`${t.networkAccess} in ('none', 'visa', 'visa_and_local_dac')`,
    ),
  ],
);

/**
 * Every change of a dataset's data use. A narrowing (more restrictive) is applied at once; a
 * widening (or a change that widens in part) waits as `pending` until an ethics board member or
 * an admin approves or rejects it. `dataUse` is the complete new terms, `previous` the terms it
 * was compared with (the dataset's version `baseVersion`).
 */
export const dataUseChanges = pgTable(
  'dataset_data_use_changes',
  {
    id: uuid('id').primaryKey(),
    datasetId: uuidRef('dataset_id', () => datasets.id),
    baseVersion: integer('base_version').notNull(),
    /** The version the dataset got when the change was applied; null until then. */
    appliedVersion: integer('applied_version'),
    previous: jsonb('previous').notNull(),
    dataUse: jsonb('data_use').notNull(),
    direction: text('direction').notNull(),
    status: text('status').notNull(),
    requestedBy: uuidRef('requested_by', () => users.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamptz('decided_at'),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('dataset_data_use_changes_dataset_idx').on(t.datasetId),
    check(
      'dataset_data_use_changes_direction_check',
      sql`${t.direction} in ('narrower', 'wider', 'mixed')`,
    ),
    check(
      'dataset_data_use_changes_status_check',
      sql`${t.status} in ('applied', 'pending', 'rejected')`,
    ),
  ],
);
