import { and, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { UnauthenticatedError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { passwordSchema } from '../../lib/validators.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { sessions, users } from './accounts.tables.js';
import type { UserActor } from '../actors/actor.js';
import { chargeLoginAttempt, settleSuccessfulLogin, type LoginLimits } from './login-rate-limit.js';
import { hashPassword, verifyPassword } from './password.js';

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string().min(1, { message: 'is required' }).max(256),
    newPassword: passwordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });

/**
 * Changes the signed-in user's password. The current password is required and its check is
 * throttled like a login (a stolen session must not become a password oracle). On success every
 * other session of the account ends, so whoever else held one is signed out; the caller's own
 * session stays. Audited either way.
 */
export async function changePassword(
  db: Database,
  actor: UserActor,
  limits: LoginLimits,
  clientKey: string,
  input: unknown,
): Promise<{ sessionsEnded: number }> {
  const data = parseInput(ChangePasswordInput, input);
  const [row] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!row) throw new UnauthenticatedError();
  await chargeLoginAttempt(db, limits, row.email, clientKey);
  if (!(await verifyPassword(row.passwordHash, data.currentPassword))) {
    await db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'auth.password_change.refused',
        targetType: 'user',
        targetId: actor.userId,
        payload: { code: 'VALIDATION' },
      }),
    );
    throw new ValidationError('The current password is wrong', [
      { field: 'currentPassword', message: 'is wrong' },
    ]);
  }
  const passwordHash = await hashPassword(data.newPassword);
  return db.transaction(async (tx) => {
    await settleSuccessfulLogin(tx, limits, row.email, clientKey);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.userId));
    const ended = await revokeSessions(tx, actor, actor.sessionId);
    await appendAuditEvent(tx, actor, {
      action: 'auth.password_change',
      targetType: 'user',
      targetId: actor.userId,
      payload: { sessionsEnded: ended },
    });
    return { sessionsEnded: ended };
  });
}

/** Ends every session of the signed-in user, this one included ("log out everywhere"). */
export async function logoutEverywhere(tx: Tx, actor: UserActor): Promise<number> {
  const ended = await revokeSessions(tx, actor, null);
  await appendAuditEvent(tx, actor, {
    action: 'auth.logout_everywhere',
    targetType: 'user',
    targetId: actor.userId,
    payload: { sessionsEnded: ended },
  });
  return ended;
}

/** Revokes the user's open sessions except `keep`; answers how many ended. */
async function revokeSessions(tx: Tx, actor: UserActor, keep: string | null): Promise<number> {
  const open = and(eq(sessions.userId, actor.userId), isNull(sessions.revokedAt));
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(keep ? and(open, ne(sessions.id, keep)) : open)
    .returning({ id: sessions.id });
  return rows.length;
}
