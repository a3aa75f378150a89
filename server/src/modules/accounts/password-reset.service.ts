import { endSessionsOf } from './end-sessions.js';
import { forgetCachedSessions } from './session-cache.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { passwordSchema } from '../../lib/validators.js';
import { sessionlessUser } from '../actors/actor.js';
import type { Role } from '../actors/roles.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { passwordResetTokens, users } from './accounts.tables.js';
import { chargeLoginAttempt, recordLoginAttempt, type LoginLimits } from './login-rate-limit.js';
import { hashPassword } from './password.js';

/** How long a reset link works. */
export const RESET_TOKEN_TTL_MS = 30 * 60_000;

/** A reset e-mail to send (the caller sends it after answering, so timing tells nothing). */
export interface ResetMail {
  to: string;
  subject: string;
  text: string;
  /** The token row's id: the only thing a log may name. */
  tokenId: string;
}

const RequestInput = z.object({ email: z.string().trim().toLowerCase().email().max(254) });
const ResetInput = z.object({
  token: z.string().min(20).max(200),
  newPassword: passwordSchema,
});

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Asks for a password-reset link. The answer is the same whether or not an account has that
 * address; only an enabled account with a confirmed address gets a token (30 minutes, single use, older unused ones
 * dropped) and an e-mail, returned for the caller to send. Requests are throttled per address and
 * client like failed logins, and audited.
 */
export async function requestPasswordReset(
  db: Database,
  settings: { limits: LoginLimits; webOrigin: string },
  clientKey: string,
  input: unknown,
): Promise<ResetMail | null> {
  const { email } = parseInput(RequestInput, input);
  const throttleKey = `reset:${email}`;
  await chargeLoginAttempt(db, settings.limits, throttleKey, clientKey);
  return db.transaction(async (tx) => {
    // Every request counts towards the throttle, as a failed login does.
    await recordLoginAttempt(tx, throttleKey, clientKey, false);
    const [user] = await tx
      .select({
        id: users.id,
        disabledAt: users.disabledAt,
        emailVerifiedAt: users.emailVerifiedAt,
      })
      .from(users)
      .where(eq(users.email, email));
    // An unconfirmed address may be a typo or someone else's: a reset link sent there would
    // hand the account to whoever reads it.
    const sendable = Boolean(user && user.disabledAt === null && user.emailVerifiedAt !== null);
    await appendAuditEvent(tx, null, {
      action: 'auth.password_reset.request',
      targetType: user ? 'user' : undefined,
      targetId: user?.id,
      payload: { sent: sendable },
    });
    if (!user || !sendable) return null;
    await tx
      .delete(passwordResetTokens)
      .where(and(eq(passwordResetTokens.userId, user.id), isNull(passwordResetTokens.usedAt)));
    const token = randomBytes(32).toString('base64url');
    const tokenId = randomUUID();
    await tx.insert(passwordResetTokens).values({
      id: tokenId,
      userId: user.id,
      tokenHash: digest(token),
      expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS),
    });
    const link = `${settings.webOrigin}/reset-password#token=${token}`;
    return {
      to: email,
      tokenId,
      subject: 'Reset your Consentome password',
      text:
        `Someone, hopefully you, asked to reset the password of your Consentome account.\n\n` +
        `Choose a new password here within 30 minutes (the link works once):\n${link}\n\n` +
        `If you did not ask, ignore this e-mail: your password stays as it is.`,
    };
  });
}

/**
 * Sets a new password with a reset token: the token must exist, be unused and unexpired. The
 * token is spent, every session of the account ends (whoever held one is signed out), and the
 * change is audited. A bad or spent token changes nothing.
 */
export async function resetPassword(db: Database, input: unknown): Promise<void> {
  const { token, newPassword } = parseInput(ResetInput, input);
  const passwordHash = await hashPassword(newPassword);
  const done = await db.transaction(async (tx) => {
    const [spent] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, digest(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!spent) return false;
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, spent.userId))
      .returning({ id: users.id, role: users.role, disabledAt: users.disabledAt });
    if (!user || user.disabledAt !== null) return false;
    await endSessionsOf(tx, user.id);
    await appendAuditEvent(tx, sessionlessUser(user.id, user.role as Role), {
      action: 'auth.password_reset',
      targetType: 'user',
      targetId: user.id,
    });
    return true;
  });
  // Once more after the commit: a lookup while it was open may have cached an ended session.
  if (done) forgetCachedSessions();
  if (!done)
    throw new ValidationError(
      'This reset link is not valid: it was used, has expired or is wrong',
      [{ field: 'token', message: 'ask for a new link' }],
    );
}
