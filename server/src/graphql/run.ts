import type { Tx } from '../db/database.js';
import { chainWorkEnqueuedCount } from '../modules/chain/outbox.service.js';
import { forgetCachedSessions, sessionCacheGeneration } from '../modules/accounts/session-cache.js';
import type { GraphQLContext } from './context.js';

/**
 * Runs a resolver's service call in one database transaction; once it commits, wakes this
 * process's outbox relay (if it runs one) when the transaction queued chain work, so that the
 * work leaves at once. Reads (most calls) queue none and leave the relay to its period.
 */
export async function inTransaction<T>(
  ctx: GraphQLContext,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const queuedBefore = chainWorkEnqueuedCount();
  const sessionsBefore = sessionCacheGeneration();
  const result = await ctx.db.transaction(fn);
  // The write changed a session or an account (sign-out, a role, disabling, a language…) and
  // made the session cache forget; forget again now that it has committed, so a lookup that read
  // the old row while the transaction was open cannot serve it to the next request.
  if (sessionCacheGeneration() !== sessionsBefore) forgetCachedSessions();
  // The write queued chain work (a participant's withdrawal above all): send it now rather than
  // at the relay's next period. The relay's loop owns (and awaits) that flush.
  if (chainWorkEnqueuedCount() !== queuedBefore) void ctx.services.relay?.wake();
  return result;
}
