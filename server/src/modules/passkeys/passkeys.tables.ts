import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { participants } from '../participants/participants.tables.js';
import { timestamptz, uuidRef } from '../../db/columns.js';

/**
 * A participant's passkeys (WebAuthn, ES256). Each is also registered on chain under the
 * participant's pseudonym; a removed key is kept (removed_at) because the chain keeps it too and
 * old signatures still name it.
 */
export const participantPasskeys = pgTable(
  'participant_passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuidRef('participant_id', () => participants.id),
    /** WebAuthn credential id, base64url: also the key id on chain. */
    credentialId: text('credential_id').notNull().unique(),
    /** COSE public key, base64url (what @simplewebauthn/server verifies with). */
    publicKeyCose: text('public_key_cose').notNull(),
    /** The same key as SEC1 hex (what the contract verifies with). */
    publicKeySec1: text('public_key_sec1').notNull(),
    counter: integer('counter').notNull().default(0),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('participant_passkeys_participant_idx').on(t.participantId)],
);

/** The pending registration challenge of a participant (one at a time, short-lived). */
export const passkeyChallenges = pgTable('passkey_challenges', {
  participantId: uuid('participant_id')
    .primaryKey()
    .references(() => participants.id),
  challenge: text('challenge').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
});

/**
 * Pending passkey sign-in challenges. Nobody is known before the passkey answers, so they are
 * keyed by the challenge itself; each is used once and lives five minutes.
 */
export const passkeySignInChallenges = pgTable('passkey_sign_in_challenges', {
  challenge: text('challenge').primaryKey(),
  expiresAt: timestamptz('expires_at').notNull(),
});
