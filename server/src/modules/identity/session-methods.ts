import { inArray, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.js';
import { openSession, type NewSession, type OpenedSession } from '../accounts/open-session.js';
import type { UserActor } from '../actors/actor.js';
import type { Role } from '../actors/roles.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { sessionAuth } from './identity.tables.js';

/** How a sign-in authenticated the user, as its session records it. */
export interface SignInMethod {
  /** RFC 8176 methods, e.g. `['fed', 'mfa']` or `['hwk']`. */
  amr: string[];
  /** The way itself proved two factors (no second-factor prompt for an MFA-required role). */
  multiFactor: boolean;
  /** The institution's provider, for an OpenID Connect sign-in. */
  providerId?: string;
  /** What the `auth.login` audit event says about the way (method name and its details). */
  audit: Record<string, unknown>;
}

/**
 * Opens the session of a sign-in other than a password, in the caller's transaction: the
 * session, how it was authenticated, and the `auth.login` audit event under the new session.
 * The caller has already checked the user may sign in this way.
 */
export async function openSignedInSession(
  tx: Tx,
  user: { id: string; role: Role },
  session: NewSession,
  method: SignInMethod,
): Promise<OpenedSession> {
  const opened = await openSession(tx, user.id, session);
  await recordSessionMethod(tx, opened.sessionId, method);
  const actor: UserActor = {
    kind: 'user',
    userId: user.id,
    role: user.role,
    sessionId: opened.sessionId,
  };
  await appendAuditEvent(tx, actor, {
    action: 'auth.login',
    targetType: 'session',
    targetId: opened.sessionId,
    payload: { ...method.audit, amr: method.amr },
  });
  return opened;
}

/**
 * Records how a session was opened, for sign-in ways that live outside this module (a passkey):
 * its `amr` (RFC 8176) and, when the way itself proved two factors, that the second factor is
 * already proved, so an MFA-required role is not asked again.
 */
export async function recordSessionMethod(
  tx: Tx,
  sessionId: string,
  method: { amr: string[]; multiFactor: boolean; providerId?: string },
): Promise<void> {
  await tx.insert(sessionAuth).values({
    sessionId,
    amr: method.amr,
    providerId: method.providerId ?? null,
    mfaAt: method.multiFactor ? new Date() : null,
  });
}

/**
 * How each of the given sessions was opened (`amr`), for the sessions that recorded it; a
 * password login records nothing until a second factor is proved.
 */
export async function sessionMethods(
  db: Queryable,
  sessionIds: string[],
): Promise<Map<string, string[]>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: sessionAuth.sessionId, amr: sessionAuth.amr })
    .from(sessionAuth)
    .where(inArray(sessionAuth.sessionId, sessionIds));
  return new Map(rows.map((r) => [r.sessionId, r.amr]));
}

/**
 * Records a second factor proved in this session: its `amr` gains `method` (RFC 8176: `otp`,
 * `rcode`, `pop`) and `mfaAt` is now, which is what the MFA policy and step-up read.
 */
export async function recordSecondFactor(tx: Tx, actor: UserActor, method: string): Promise<Date> {
  const now = new Date();
  if (actor.sessionId === null) return now;
  await tx
    .insert(sessionAuth)
    .values({ sessionId: actor.sessionId, amr: ['pwd', method], mfaAt: now })
    .onConflictDoUpdate({
      target: sessionAuth.sessionId,
      set: {
        mfaAt: now,
        amr: sql`case when ${sessionAuth.amr} @> ${JSON.stringify([method])}::jsonb then ${sessionAuth.amr} else ${sessionAuth.amr} || ${JSON.stringify([method])}::jsonb end`,
      },
    });
  return now;
}
