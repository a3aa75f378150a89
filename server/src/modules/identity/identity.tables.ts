import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sessions, users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/**
 * An account's identity at an institution's OpenID provider: `(issuer, subject)` names one
 * person there and is linked to at most one account. The affiliation and entitlement claims of
 * the latest sign-in are kept for the AffiliationAndRole visa.
 */
export const oidcIdentities = pgTable(
  'oidc_identities',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    providerId: text('provider_id').notNull(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    affiliations: jsonb('affiliations').$type<string[]>().notNull().default([]),
    entitlements: jsonb('entitlements').$type<string[]>().notNull().default([]),
    /** Who the provider's affiliation claim counts as asserted by (provider setting at sign-in). */
    affiliationBy: text('affiliation_by').notNull().default('system'),
    claimsAt: timestamptz('claims_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('oidc_identities_issuer_subject_idx').on(t.issuer, t.subject),
    uniqueIndex('oidc_identities_user_provider_idx').on(t.userId, t.providerId),
  ],
);

/**
 * A sign-in (or link) started at a provider and not yet finished: the state, nonce and PKCE
 * verifier the callback is checked against, and the digest of the browser-binding token the
 * portal keeps in an HttpOnly cookie. Single use: `consumedAt` is set by the first callback.
 */
export const oidcFlows = pgTable(
  'oidc_flows',
  {
    id: uuid('id').primaryKey(),
    state: text('state').notNull().unique(),
    bindingHash: text('binding_hash').notNull(),
    providerId: text('provider_id').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    purpose: text('purpose').notNull(),
    linkUserId: uuid('link_user_id').references(() => users.id),
    linkSessionId: uuid('link_session_id').references(() => sessions.id),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    consumedAt: timestamptz('consumed_at'),
  },
  (t) => [check('oidc_flows_purpose_check', sql`${t.purpose} in ('sign_in', 'link')`)],
);

/**
 * How a session was authenticated (`amr`, RFC 8176: `pwd`, `fed`, `otp`), through which
 * provider, and when its second factor was last proved (step-up).
 */
export const sessionAuth = pgTable('session_auth', {
  sessionId: uuid('session_id')
    .primaryKey()
    .references(() => sessions.id),
  amr: jsonb('amr').$type<string[]>().notNull(),
  providerId: text('provider_id'),
  mfaAt: timestamptz('mfa_at'),
});

/**
 * An account's TOTP authenticator: the secret sealed under the secrets key, the last time step
 * accepted (a code is never accepted twice) and the failure count behind the lock-out.
 */
export const totpAuthenticators = pgTable('totp_authenticators', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  sealedSecret: text('sealed_secret').notNull(),
  confirmedAt: timestamptz('confirmed_at'),
  lastStep: bigint('last_step', { mode: 'number' }),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamptz('locked_until'),
  createdAt: createdAt(),
});

/** One-time recovery codes, stored as SHA-256 digests. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * Staff passkeys (WebAuthn, ES256) used as a second factor. Unlike participants' passkeys they
 * are not registered on chain: staff have no chain pseudonym, and the key only proves to us that
 * the person at the keyboard holds it. A removed key is deleted.
 */
export const staffPasskeys = pgTable(
  'staff_passkeys',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    /** WebAuthn credential id, base64url. */
    credentialId: text('credential_id').notNull().unique(),
    /** COSE public key, base64url. */
    publicKeyCose: text('public_key_cose').notNull(),
    counter: integer('counter').notNull().default(0),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('staff_passkeys_user_idx').on(t.userId)],
);

/**
 * Pending staff passkey challenges: a registration, or an assertion for one session's second
 * factor. Each is used once (deleted by the answer) and lives five minutes.
 */
export const staffPasskeyChallenges = pgTable(
  'staff_passkey_challenges',
  {
    challenge: text('challenge').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    /** The session the assertion will prove the second factor for (null for a registration). */
    sessionId: uuid('session_id').references(() => sessions.id),
    purpose: text('purpose').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    index('staff_passkey_challenges_user_idx').on(t.userId),
    check('staff_passkey_challenges_purpose_check', sql`${t.purpose} in ('register', 'assert')`),
  ],
);
