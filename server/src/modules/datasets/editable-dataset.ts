import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanEditDataset } from './datasets.policy.js';
import { datasets } from './datasets.tables.js';

/**
 * A dataset its caller may edit (its steward or an admin), locked for the rest of the
 * transaction so two edits of its settings cannot interleave. Unknown: "not found".
 */
export async function editableDataset(
  tx: Tx,
  actor: Actor | null,
  datasetId: string,
): Promise<typeof datasets.$inferSelect> {
  const [existing] = await tx
    .select()
    .from(datasets)
    .where(eq(datasets.id, datasetId))
    .for('update');
  if (!existing) throw new NotFoundError('Dataset');
  assertCanEditDataset(actor, existing);
  return existing;
}

/**
 * Changes a setting of a dataset its caller may edit (`editableDataset`) and audits the change
 * with the setting as it was (`before`, read from the locked row) and as it is now (`after`).
 * Answers the updated row; `updatedAt` is set here.
 */
export async function changeDatasetSetting<T>(
  tx: Tx,
  actor: Actor | null,
  datasetId: string,
  change: {
    action: AuditAction;
    set: Partial<typeof datasets.$inferInsert>;
    before: (existing: typeof datasets.$inferSelect) => T;
    after: T;
  },
): Promise<typeof datasets.$inferSelect> {
  const existing = await editableDataset(tx, actor, datasetId);
  const [row] = await tx
    .update(datasets)
    .set({ ...change.set, updatedAt: new Date() })
    .where(eq(datasets.id, existing.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: change.action,
    targetType: 'dataset',
    targetId: existing.id,
    payload: { before: change.before(existing), after: change.after },
  });
  return row!;
}
