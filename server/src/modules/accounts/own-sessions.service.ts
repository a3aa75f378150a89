import { forgetCachedSessions } from './session-cache.js';
import { endSessionsOf } from './end-sessions.js';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable, Tx } from '../../db/database.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema, passwordSchema } from '../../lib/validators.js';
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
  const changed = await db.transaction(async (tx) => {
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
  // Once more after the commit: a lookup while it was open may have cached an ended session.
  forgetCachedSessions();
  return changed;
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
function revokeSessions(tx: Tx, actor: UserActor, keep: string | null): Promise<number> {
  return endSessionsOf(tx, actor.userId, keep);
}

/** One of the signed-in user's live sessions, as their own list shows it. */
export interface OwnSession {
  id: string;
  /** "Chrome on Linux", or null when the device was not recognised. */
  device: string | null;
  createdAt: Date;
  /** When the session was last used, to the minute. */
  lastSeenAt: Date;
  /** True for the session this request came with. */
  current: boolean;
}

/**
 * The signed-in user's live sessions (neither ended nor expired), most recently used first.
 * Not audited: it is the user's own sign-in metadata, not participant data.
 */
export async function listOwnSessions(db: Queryable, actor: UserActor): Promise<OwnSession[]> {
  const rows = await db
    .select({
      id: sessions.id,
      device: sessions.device,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, actor.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

/**
 * Ends one live session of the signed-in user, the current one included (it clears nothing
 * else: the caller signs out like any other device). A session of someone else, an ended or
 * expired one, or a malformed id is NOT_FOUND alike, so the answer reveals nothing about other
 * accounts. Audited as `auth.session.end`.
 */
export async function endOwnSession(tx: Tx, actor: UserActor, sessionId: string): Promise<void> {
  const id = idSchema.safeParse(sessionId);
  if (!id.success) throw new NotFoundError('Session');
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.id, id.data),
        eq(sessions.userId, actor.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    )
    .returning({ id: sessions.id });
  forgetCachedSessions();
  if (ended.length === 0) throw new NotFoundError('Session');
  await appendAuditEvent(tx, actor, {
    action: 'auth.session.end',
    targetType: 'session',
    targetId: id.data,
    payload: { current: id.data === actor.sessionId },
  });
}
