import type { Tx } from '../db/database.js';
import type { GraphQLContext } from './context.js';

/** Runs a resolver's service call in one database transaction. */
export function inTransaction<T>(ctx: GraphQLContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(fn);
}
