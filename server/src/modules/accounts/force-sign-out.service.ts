import { endSessionsOf } from './end-sessions.js';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanAdministerAccounts } from './accounts.policy.js';
import { users } from './accounts.tables.js';

/**
 * An administrator signs an account out everywhere (a lost laptop, a suspected stolen token):
 * every open session and API token of that account ends at once; the account stays usable.
 * Audited with the number of sessions ended; answers that number.
 */
export async function forceSignOut(tx: Tx, actor: Actor | null, userId: unknown): Promise<number> {
  assertCanAdministerAccounts(actor);
  const id = parseInput(idSchema, userId);
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id));
  if (!user) throw new NotFoundError('User');
  const sessionsEnded = await endSessionsOf(tx, id);
  await appendAuditEvent(tx, actor, {
    action: 'user.force_sign_out',
    targetType: 'user',
    targetId: id,
    payload: { sessionsEnded },
  });
  return sessionsEnded;
}
