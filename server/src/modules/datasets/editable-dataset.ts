import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
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
