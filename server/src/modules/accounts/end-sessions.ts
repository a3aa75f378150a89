import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { sessions } from './accounts.tables.js';
import { forgetCachedSessions } from './session-cache.js';

/**
 * Ends a user's open sessions, all or all but `keep`, in the caller's transaction; answers how
 * many ended. The one way the accounts module signs a user out everywhere (disable, forced
 * sign-out, password change or reset, "sign out everywhere").
 */
export async function endSessionsOf(
  tx: Tx,
  userId: string,
  keep: string | null = null,
): Promise<number> {
  const open = and(eq(sessions.userId, userId), isNull(sessions.revokedAt));
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(keep ? and(open, ne(sessions.id, keep)) : open)
    .returning({ id: sessions.id });
  forgetCachedSessions();
  return rows.length;
}
