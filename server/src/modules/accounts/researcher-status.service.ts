import { eq } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanCreateUser } from './accounts.policy.js';
import { users } from './accounts.tables.js';
import { forgetCachedSessions } from './session-cache.js';
import type { Actor } from '../actors/actor.js';

/**
 * An administrator, acting as signing official, confirms that a researcher is a bona fide
 * researcher: their passport then carries a GA4GH ResearcherStatus visa. Audited.
 */
export async function confirmResearcherStatus(
  tx: Tx,
  actor: Actor | null,
  userId: unknown,
): Promise<Date> {
  assertCanCreateUser(actor);
  const id = parseInput(idSchema, userId);
  const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!user) throw new NotFoundError('User');
  if (user.role !== 'researcher')
    throw new ConflictError('Only researchers have a researcher status');
  if (user.researcherStatusConfirmedAt) return user.researcherStatusConfirmedAt;
  const at = new Date();
  await tx
    .update(users)
    .set({
      researcherStatusConfirmedAt: at,
      researcherStatusConfirmedBy: actor?.kind === 'user' ? actor.userId : null,
    })
    .where(eq(users.id, id));
  // `me` answers the account cached with the session.
  forgetCachedSessions();
  await appendAuditEvent(tx, actor, {
    action: 'user.researcher_status.confirm',
    targetType: 'user',
    targetId: id,
  });
  return at;
}

/** When the researcher's status was confirmed, or null. */
export async function researcherStatusOf(db: Queryable, userId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: users.researcherStatusConfirmedAt })
    .from(users)
    .where(eq(users.id, userId));
  return row?.at ?? null;
}
