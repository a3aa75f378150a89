import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { sessionlessUser, type Actor, type UserActor } from '../actors/actor.js';
import type { Role } from '../actors/roles.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { emailVerificationTokens, users } from './accounts.tables.js';
import { forgetCachedSessions } from './session-cache.js';
import {
  chargeLoginAttempt,
  recordLoginAttempt,
  settleSuccessfulLogin,
  type LoginLimits,
} from './login-rate-limit.js';
import { verifyPassword } from './password.js';

/** How long a verification link works. */
export const VERIFY_TOKEN_TTL_MS = 48 * 60 * 60_000;

/** A verification e-mail to send (after the transaction commits). */
export interface VerificationMail {
  to: string;
  subject: string;
  text: string;
  /** The token row's id: the only thing a log may name. */
  tokenId: string;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const Email = z.string().trim().toLowerCase().email().max(254);

/**
 * Issues a verification link for the account's current address, in the caller's transaction:
 * the account's unused links are dropped, the new token is stored as its SHA-256 with the
 * address it proves, and the sending is audited. Answers the e-mail for the caller to send.
 */
export async function issueEmailVerification(
  tx: Tx,
  actor: Actor | null,
  user: { id: string; email: string },
  webOrigin: string,
): Promise<VerificationMail> {
  await tx
    .delete(emailVerificationTokens)
    .where(
      and(eq(emailVerificationTokens.userId, user.id), isNull(emailVerificationTokens.usedAt)),
    );
  const token = randomBytes(32).toString('base64url');
  const tokenId = randomUUID();
  await tx.insert(emailVerificationTokens).values({
    id: tokenId,
    userId: user.id,
    email: user.email,
    tokenHash: digest(token),
    expiresAt: new Date(Date.now() + VERIFY_TOKEN_TTL_MS),
  });
  await appendAuditEvent(tx, actor, {
    action: 'auth.email_verify.send',
    targetType: 'user',
    targetId: user.id,
    payload: { token: tokenId },
  });
  return {
    to: user.email,
    tokenId,
    subject: 'Confirm your e-mail address for Consentome',
    text:
      `Please confirm that this address belongs to your Consentome account.\n\n` +
      `Open this link within 48 hours (it works once):\n` +
      `${webOrigin}/verify-email#token=${token}\n\n` +
      `If you do not have an account with us, ignore this e-mail.`,
  };
}

/**
 * "Send the link again" for an address. The answer is the same whether or not an account has
 * it: only an enabled account whose address is not yet verified gets a new link. Throttled per
 * address and client like password resets.
 */
export async function requestEmailVerification(
  db: Database,
  settings: { limits: LoginLimits; webOrigin: string },
  clientKey: string,
  input: unknown,
): Promise<VerificationMail | null> {
  const { email } = parseInput(z.object({ email: Email }), input);
  const throttleKey = `verify:${email}`;
  await chargeLoginAttempt(db, settings.limits, throttleKey, clientKey);
  return db.transaction(async (tx) => {
    await recordLoginAttempt(tx, throttleKey, clientKey, false);
    const [user] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.email, email), isNull(users.disabledAt), isNull(users.emailVerifiedAt)));
    if (!user) return null;
    return issueEmailVerification(tx, null, user, settings.webOrigin);
  });
}

/**
 * Confirms an address with the token from its link. The token must exist, be unused and
 * unexpired, be for the account's current address, and (when someone is signed in) be the
 * signed-in user's own. Then the token is spent and the account's `emailVerifiedAt` set, in one
 * transaction; otherwise nothing changes, the refusal is audited and a clear error answers.
 */
export async function verifyEmail(
  db: Database,
  viewer: UserActor | null,
  input: unknown,
): Promise<Date> {
  const { token } = parseInput(z.object({ token: z.string().min(20).max(200) }), input);
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailVerificationTokens)
      .where(
        and(
          eq(emailVerificationTokens.tokenHash, digest(token)),
          isNull(emailVerificationTokens.usedAt),
          gt(emailVerificationTokens.expiresAt, new Date()),
        ),
      )
      .for('update');
    if (!row) return 'invalid' as const;
    if (viewer && viewer.userId !== row.userId) return 'other_user' as const;
    const now = new Date();
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: now })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email), isNull(users.disabledAt)))
      .returning({ id: users.id, role: users.role });
    if (!user) return 'invalid' as const;
    // `me` answers the account cached with the session.
    forgetCachedSessions();
    await tx
      .update(emailVerificationTokens)
      .set({ usedAt: now })
      .where(eq(emailVerificationTokens.id, row.id));
    await appendAuditEvent(tx, viewer ?? sessionlessUser(user.id, user.role as Role), {
      action: 'auth.email_verify',
      targetType: 'user',
      targetId: user.id,
      payload: { token: row.id },
    });
    return now;
  });
  if (outcome instanceof Date) {
    // Once more after the commit: a session lookup while it was open may have cached the old row.
    forgetCachedSessions();
    return outcome;
  }
  await db.transaction((tx) =>
    appendAuditEvent(tx, viewer, {
      action: 'auth.email_verify.failed',
      targetType: viewer ? 'user' : undefined,
      targetId: viewer?.userId,
      payload: { reason: outcome },
    }),
  );
  throw new ValidationError(
    outcome === 'other_user'
      ? 'This link confirms another account’s address: sign out first, or open your own link'
      : 'This link is not valid: it was used, has expired, is wrong, or the address has changed since',
    [{ field: 'token', message: 'ask for a new link' }],
  );
}

/**
 * Changes the signed-in user's e-mail address after checking their password: the new address is
 * unverified until its link is opened, earlier links stop working, and a link is issued for it.
 * One transaction; audited. Answers the verification e-mail for the caller to send.
 */
export async function changeEmail(
  db: Database,
  actor: UserActor,
  settings: { limits: LoginLimits; webOrigin: string },
  clientKey: string,
  input: unknown,
): Promise<VerificationMail> {
  const { currentPassword, email } = parseInput(
    z.object({ currentPassword: z.string().min(1).max(200), email: Email }),
    input,
  );
  const [row] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!row) throw new ConflictError('No such account');
  // Password guesses here count against the account like failed logins do.
  await chargeLoginAttempt(db, settings.limits, row.email, clientKey);
  if (!(await verifyPassword(row.passwordHash, currentPassword))) {
    await db.transaction((tx) => recordLoginAttempt(tx, row.email, clientKey, false));
    throw new ValidationError('The current password is wrong', [
      { field: 'currentPassword', message: 'is wrong' },
    ]);
  }
  const mail = await db.transaction(async (tx) => {
    await settleSuccessfulLogin(tx, settings.limits, row.email, clientKey);
    const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (clash) throw new ConflictError('Another account already uses this e-mail address');
    const [user] = await tx
      .update(users)
      .set({ email, emailVerifiedAt: null })
      .where(eq(users.id, actor.userId))
      .returning({ id: users.id, email: users.email });
    forgetCachedSessions();
    await appendAuditEvent(tx, actor, {
      action: 'user.email.change',
      targetType: 'user',
      targetId: actor.userId,
    });
    return issueEmailVerification(tx, actor, user!, settings.webOrigin);
  });
  // Once more after the commit: a session lookup while it was open may have cached the old row.
  forgetCachedSessions();
  return mail;
}

/**
 * Marks the account's address verified because its institution's provider asserted
 * `email_verified: true` for that same address at sign-in; a different address changes nothing.
 */
export async function markEmailVerifiedByProvider(
  tx: Tx,
  userId: string,
  email: string,
): Promise<void> {
  await tx
    .update(users)
    .set({ emailVerifiedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.email, email), isNull(users.emailVerifiedAt)));
  forgetCachedSessions();
}
