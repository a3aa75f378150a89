import { AppError } from '../errors/app-errors.js';
import { idSchema } from '../lib/validators.js';
import { appendAuditEvent } from '../modules/audit/audit.service.js';
import type { RefusableAction } from '../modules/audit/audit-actions.js';
import type { Tx } from '../db/database.js';
import type { GraphQLContext } from './context.js';
import { inTransaction } from './run.js';

/**
 * Runs a workflow write and, when it is refused with an expected error (voting twice, an
 * expired grant, someone else's request…), records the refusal in its own transaction: the
 * write itself rolled back, so nothing changed, but the attempt is on the audit trail.
 */
export async function auditingRefusals<T>(
  ctx: GraphQLContext,
  attempt: { action: RefusableAction; targetType: string; targetId?: unknown },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code !== 'UNAUTHENTICATED') {
      const id = idSchema.safeParse(attempt.targetId);
      await ctx.db.transaction((tx) =>
        appendAuditEvent(tx, ctx.viewer, {
          action: `${attempt.action}.refused`,
          targetType: attempt.targetType,
          targetId: id.success ? id.data : undefined,
          payload: { code: error.code },
        }),
      );
    }
    throw error;
  }
}

/**
 * The usual shape of a workflow field: the service call in one transaction, a refusal audited
 * (see auditingRefusals). The transaction is inTransaction's, so a write that queued chain work
 * (answering a consent request, a vote, a revocation) wakes the relay once it commits, as every
 * other write does, and a session change is forgotten again after the commit.
 */
export function refusalAuditedTx<T>(
  ctx: GraphQLContext,
  attempt: { action: RefusableAction; targetType: string; targetId?: unknown },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return auditingRefusals(ctx, attempt, () => inTransaction(ctx, fn));
}
