import type { Tx } from '../db/database.js';
import type { GraphQLContext } from './context.js';

/**
 * Runs a resolver's service call in one database transaction; once it commits, wakes this
 * process's outbox relay (if it runs one) so that chain work it queued leaves at once.
 */
export async function inTransaction<T>(
  ctx: GraphQLContext,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const result = await ctx.db.transaction(fn);
  // The write may have queued chain work (a participant's withdrawal above all): send it now
  // rather than at the relay's next period. The relay's loop owns (and awaits) that flush.
  void ctx.services.relay?.wake();
  return result;
}
