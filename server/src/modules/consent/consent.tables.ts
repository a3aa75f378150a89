import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { participants } from '../participants/participants.tables.js';
import { uuidRef } from '../../db/columns.js';

/**
 * A participant's standing consent preferences, versioned: every change is a new row, so the
 * history is kept and each version can be shown, audited and proven on chain.
 */
export const consentPreferences = pgTable(
  'consent_preferences',
  {
    participantId: uuidRef('participant_id', () => participants.id),
    version: integer('version').notNull(),
    /** Per purpose scope (GRU, HMB, DS, POA, METHODS, COMMERCIAL): permit, deny or ask. */
    purposes: jsonb('purposes').notNull(),
    /**
     * Per-disease refinements of DS: `[{ id: 'MONDO:…', choice }]` (purpose-hierarchy.ts). Versions
     * from before nested purposes have none.
     */
    diseases: jsonb('diseases').notNull().default([]),
    askEachTime: boolean('ask_each_time').notNull(),
    discoverable: boolean('discoverable').notNull(),
    recontact: boolean('recontact').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Credential id of the passkey that signed this version; null: recorded by the institution. */
    signedWith: text('signed_with'),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.version] })],
);
