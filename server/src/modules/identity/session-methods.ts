import { inArray } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.js';
import { sessionAuth } from './identity.tables.js';

/**
 * Records how a session was opened, for sign-in ways that live outside this module (a passkey):
 * its `amr` (RFC 8176) and, when the way itself proved two factors, that the second factor is
 * already proved, so an MFA-required role is not asked again.
 */
export async function recordSessionMethod(
  tx: Tx,
  sessionId: string,
  method: { amr: string[]; multiFactor: boolean },
): Promise<void> {
  await tx.insert(sessionAuth).values({
    sessionId,
    amr: method.amr,
    providerId: null,
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
