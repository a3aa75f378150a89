import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable, Tx } from '../../db/database.js';
import { ConflictError, UnauthenticatedError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { emailSchema, nameSchema, passwordSchema, roleSchema } from '../../lib/validators.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanCreateUser, assertCanListUsers } from './accounts.policy.js';
import {
  emailVerificationTokens,
  passwordResetTokens,
  sessions,
  users,
} from './accounts.tables.js';
import type { Actor, UserActor } from '../actors/actor.js';
import {
  chargeLoginAttempt,
  recordLoginAttempt,
  settleSuccessfulLogin,
  type LoginLimits,
} from './login-rate-limit.js';
import { hashPassword, verifyPassword } from './password.js';
import type { Role } from '../actors/roles.js';
import type { UserRecord } from './user-record.js';
import { newSessionToken, tokenDigest } from './session-token.js';
import {
  cachedSession,
  forgetCachedSessions,
  rememberSession,
  sessionCacheGeneration,
} from './session-cache.js';

export type { UserRecord } from './user-record.js';

/** The columns of a UserRecord (never the password hash). */
export const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  institution: users.institution,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
  researcherStatusConfirmedAt: users.researcherStatusConfirmedAt,
  emailVerifiedAt: users.emailVerifiedAt,
  locale: users.locale,
};

/**
 * A UserRecord from a selected row: the role text narrowed to Role, and only the record's own
 * fields copied, so a row selected with the password hash does not carry it along.
 */
export function toUser(row: { role: string } & Omit<UserRecord, 'role'>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    institution: row.institution,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
    researcherStatusConfirmedAt: row.researcherStatusConfirmedAt,
    emailVerifiedAt: row.emailVerifiedAt,
    locale: row.locale,
  };
}

export const CreateUserInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: nameSchema,
  role: roleSchema,
  institution: z.string().trim().max(200).nullish(),
});

/** Inserts a user row; callers have already checked policy and validated input. */
export async function insertUser(
  tx: Tx,
  input: z.output<typeof CreateUserInput>,
  options: {
    /** The address is already known to be the person's (the demo, an institution's word). */
    emailVerified?: boolean;
  } = {},
): Promise<UserRecord> {
  const existing = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.email));
  if (existing.length > 0) throw new ConflictError('An account with this e-mail already exists');
  const id = randomUUID();
  try {
    const [row] = await tx
      .insert(users)
      .values({
        id,
        email: input.email,
        displayName: input.displayName,
        role: input.role,
        institution: input.institution ?? null,
        passwordHash: await hashPassword(input.password),
        emailVerifiedAt: options.emailVerified ? new Date() : null,
      })
      .returning(userColumns);
    return toUser(row!);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('An account with this e-mail already exists');
    throw error;
  }
}

/** Creates an account (admin or operator only) and audits it. */
export async function createUser(tx: Tx, actor: Actor | null, input: unknown): Promise<UserRecord> {
  assertCanCreateUser(actor);
  const data = parseInput(CreateUserInput, input);
  const user = await insertUser(tx, data);
  await appendAuditEvent(tx, actor, {
    action: 'user.create',
    targetType: 'user',
    targetId: user.id,
    payload: { role: user.role },
  });
  return user;
}

/** Lists accounts (admin only), oldest first. */
export async function listUsers(tx: Tx, actor: Actor | null): Promise<UserRecord[]> {
  assertCanListUsers(actor);
  const rows = await tx
    .select(userColumns)
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.email));
  await appendAuditEvent(tx, actor, { action: 'user.list', payload: { count: rows.length } });
  return rows.map(toUser);
}

/** Reads one user by id, or null. */
export async function findUser(db: Queryable, id: string): Promise<UserRecord | null> {
  const [row] = await db.select(userColumns).from(users).where(eq(users.id, id));
  return row ? toUser(row) : null;
}

export const LoginInput = z.object({
  email: emailSchema,
  password: z.string().min(1, { message: 'is required' }).max(256),
});

/** A new session: the token is returned once and only its digest is stored. */
export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserRecord;
}

/** Settings login needs from the configuration. */
export interface LoginSettings extends LoginLimits {
  sessionTtlMs: number;
}

/**
 * Charges the attempt to the account and the client (refused while either must wait), then
 * checks the password and opens a session. The charge is committed before the password is
 * checked, so concurrent guesses count; a good password clears it. A failure is audited in its
 * own transaction. `device` is the short description the session list shows (see
 * `describeDevice`), or null.
 */
export async function login(
  db: Database,
  settings: LoginSettings,
  clientKey: string,
  input: unknown,
  device: string | null = null,
): Promise<LoginResult> {
  const { email, password } = parseInput(LoginInput, input);
  await chargeLoginAttempt(db, settings, email, clientKey);
  const [row] = await db
    .select({ ...userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  const valid = await verifyPassword(row?.passwordHash ?? null, password);
  if (!row || !valid || row.disabledAt !== null) {
    await db.transaction(async (tx) => {
      await recordLoginAttempt(tx, email, clientKey, false);
      await appendAuditEvent(tx, null, {
        action: 'auth.login_failed',
        targetType: row ? 'user' : undefined,
        targetId: row?.id,
      });
    });
    throw new UnauthenticatedError('E-mail or password is wrong');
  }
  const user = toUser(row);
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + settings.sessionTtlMs);
  await db.transaction(async (tx) => {
    await recordLoginAttempt(tx, email, clientKey, true);
    await settleSuccessfulLogin(tx, settings, email, clientKey);
    const sessionId = randomUUID();
    await tx
      .insert(sessions)
      .values({ id: sessionId, tokenHash: tokenDigest(token), userId: user.id, expiresAt, device });
    const actor: UserActor = { kind: 'user', userId: user.id, role: user.role, sessionId };
    await appendAuditEvent(tx, actor, {
      action: 'auth.login',
      targetType: 'session',
      targetId: sessionId,
    });
  });
  return { token, expiresAt, user };
}

/** Ends the caller's session. */
export async function logout(tx: Tx, actor: UserActor): Promise<void> {
  if (actor.sessionId === null) return;
  await tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, actor.sessionId));
  forgetCachedSessions();
  await appendAuditEvent(tx, actor, {
    action: 'auth.logout',
    targetType: 'session',
    targetId: actor.sessionId,
  });
}

/** How stale a session's `last_seen_at` may get before a use writes it again. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** A resolved session: the acting user and their account as the lookup read it. */
export interface ResolvedSession {
  viewer: UserActor;
  /** Shared by the requests the session cache answers: nobody may change it. */
  account: Readonly<UserRecord>;
}

/**
 * Turns a session token into the acting user, or null when unknown, expired, revoked or disabled.
 * A use also moves the session's `last_seen_at`, but at most once a minute: most requests only
 * read, and the UPDATE's own condition keeps concurrent requests from writing twice. A session
 * this process looked up within SESSION_CACHE_MS is answered from memory (session-cache.ts).
 */
export async function resolveSession(db: Queryable, token: string): Promise<UserActor | null> {
  return (await resolveSessionAccount(db, token))?.viewer ?? null;
}

/**
 * `resolveSession` with the user's account, read in the same statement and cached with the
 * session, so answering `me` costs no statement of its own while the cache is warm.
 */
export async function resolveSessionAccount(
  db: Queryable,
  token: string,
): Promise<ResolvedSession | null> {
  if (token.length === 0 || token.length > 128) return null;
  const digest = tokenDigest(token);
  const now = Date.now();
  const cached = cachedSession(digest, now);
  if (cached) {
    if (now - cached.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
      await touchSession(db, cached.viewer.sessionId!);
      cached.lastSeenAt = now;
    }
    return { viewer: cached.viewer, account: cached.account };
  }
  const startedIn = sessionCacheGeneration();
  const [row] = await db
    .select({
      ...userColumns,
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, digest),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date(now)),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return null;
  let lastSeenAt = row.lastSeenAt.getTime();
  if (now - lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
    await touchSession(db, row.sessionId);
    lastSeenAt = now;
  }
  const account = Object.freeze(toUser(row));
  const viewer: UserActor = Object.freeze({
    kind: 'user',
    userId: account.id,
    role: account.role,
    sessionId: row.sessionId,
  });
  rememberSession(
    digest,
    { viewer, account, expiresAt: row.expiresAt.getTime(), lastSeenAt },
    startedIn,
  );
  return { viewer, account };
}

/** Marks a session used now, unless another request already did within the minute. */
async function touchSession(db: Queryable, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)),
    );
}

/**
 * Deletes an account and its sessions (erasure): the user can no longer sign in, and every
 * session they held stops working at once. Rows of other modules that point at the account must
 * be gone first (their services delete them).
 */
export async function deleteAccount(tx: Tx, userId: string): Promise<void> {
  await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
  await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(users).where(eq(users.id, userId));
  forgetCachedSessions();
}
