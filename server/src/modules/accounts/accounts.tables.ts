import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    institution: text('institution'),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    disabledAt: timestamptz('disabled_at'),
    /** When the current e-mail address was proved to reach the account holder, or null. */
    emailVerifiedAt: timestamptz('email_verified_at'),
    /** When an administrator (signing official) confirmed this researcher's status (GA4GH ResearcherStatus). */
    researcherStatusConfirmedAt: timestamp('researcher_status_confirmed_at', {
      withTimezone: true,
    }),
    researcherStatusConfirmedBy: uuid('researcher_status_confirmed_by'),
    /** The language the person chose for the portal and their notifications; null: not chosen. */
    locale: text('locale'),
  },
  (t) => [
    check(
      'users_role_check',
      sql`${t.role} in ('participant', 'researcher', 'ethics_board', 'steward', 'admin', 'consent_coordinator', 'clinician', 'signing_official')`,
    ),
    check('users_locale_check', sql`${t.locale} is null or ${t.locale} in ('en', 'es')`),
  ],
);

/**
 * Sessions are looked up by the SHA-256 of their token, so a database leak yields no usable token.
 * For the user's own list of where they are signed in, a session keeps a short device description
 * ("Chrome on Linux", never the raw User-Agent or an address) and when it was last used, to the
 * minute.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuidRef('user_id', () => users.id),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    device: text('device'),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Login attempts, kept in the database (not in memory) so the limit holds across several API
 * instances. The e-mail is stored as a keyed digest, never in clear.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: uuid('id').primaryKey(),
    emailKey: text('email_key').notNull(),
    clientKey: text('client_key').notNull(),
    succeeded: boolean('succeeded').notNull(),
    attemptedAt: timestamptz('attempted_at').notNull().defaultNow(),
  },
  (t) => [
    index('login_attempts_email_idx').on(t.emailKey, t.attemptedAt),
    index('login_attempts_client_idx').on(t.clientKey, t.attemptedAt),
  ],
);

/**
 * Failed-attempt counters with exponential back-off, one row per key (an account's e-mail
 * digest, a client address, enrolment by client or overall). An attempt is charged here in one
 * statement before the secret is checked, so concurrent guesses cannot all slip through.
 */
export const attemptThrottles = pgTable('attempt_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastAttemptAt: timestamptz('last_attempt_at').notNull(),
  blockedUntil: timestamptz('blocked_until'),
});

/**
 * Password-reset links: only a SHA-256 digest of each token is kept; a token is used once and
 * expires. Asking again replaces the account's unused tokens.
 */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);

/**
 * E-mail verification links: only a SHA-256 digest of each token is kept, with the address it
 * was sent to (a token proves that address only, so a later change of address voids it). A token
 * is used once and expires; asking again replaces the account's unused tokens.
 */
export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuidRef('user_id', () => users.id),
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('email_verification_tokens_user_idx').on(t.userId)],
);
