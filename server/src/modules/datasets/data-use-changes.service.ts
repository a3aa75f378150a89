import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { z } from 'zod';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { dataUseValueIssues, type DataUse } from './data-use.js';
import { compareDataUse, type DataUseDirection } from './data-use-direction.js';
import { assertCanDecideDataUseChange } from './datasets.policy.js';
import { dataUseChanges, datasets } from './datasets.tables.js';

/** A dataset row. */
type DatasetRow = typeof datasets.$inferSelect;

/** A recorded change of a dataset's data use. */
export type DataUseChangeRow = typeof dataUseChanges.$inferSelect;

/** The dataset's current terms, as validated input would give them. */
export function dataUseOfRow(row: DatasetRow): DataUse {
  return {
    permission: row.duoPermission as DataUse['permission'],
    diseases: row.duoDiseases,
    modifiers: row.duoModifiers as DataUse['modifiers'],
    params: (row.duoParams ?? {}) as DataUse['params'],
  };
}

/** Today as an ISO date (UTC), for the checks that need the calendar. */
export function isoToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Refuses values that cannot be right today (a MOR date already past), naming the field. */
export function assertDataUseValuesCurrent(dataUse: DataUse, now = new Date()): void {
  const issues = dataUseValueIssues(dataUse, isoToday(now));
  if (issues.length > 0) throw new ValidationError('Invalid data-use values', issues);
}

async function applyTerms(tx: Tx, dataset: DatasetRow, dataUse: DataUse): Promise<number> {
  const version = dataset.dataUseVersion + 1;
  await tx
    .update(datasets)
    .set({
      duoPermission: dataUse.permission,
      duoDiseases: dataUse.diseases,
      duoModifiers: dataUse.modifiers,
      duoParams: dataUse.params,
      dataUseVersion: version,
      updatedAt: new Date(),
    })
    .where(eq(datasets.id, dataset.id));
  return version;
}

/**
 * Records a change of a locked dataset's data use (the caller checked who may edit it). A
 * narrowing applies at once (new matches see it; active grants are listed for the board by the
 * review module); a widening, or a change that widens in part, waits for the board. One
 * widening may wait per dataset. Answers null when nothing changes.
 */
export async function recordDataUseChange(
  tx: Tx,
  actor: Actor | null,
  dataset: DatasetRow,
  dataUse: DataUse,
): Promise<{ change: DataUseChangeRow; direction: DataUseDirection } | null> {
  assertDataUseValuesCurrent(dataUse);
  const previous = dataUseOfRow(dataset);
  const direction = compareDataUse(previous, dataUse);
  if (direction === 'same') return null;
  const narrowing = direction === 'narrower';
  if (!narrowing) {
    const [waiting] = await tx
      .select({ id: dataUseChanges.id })
      .from(dataUseChanges)
      .where(and(eq(dataUseChanges.datasetId, dataset.id), eq(dataUseChanges.status, 'pending')));
    if (waiting)
      throw new ConflictError(
        'A widening of this dataset’s data use already waits for the board: it must be decided first',
      );
  }
  const appliedVersion = narrowing ? await applyTerms(tx, dataset, dataUse) : null;
  const [change] = await tx
    .insert(dataUseChanges)
    .values({
      id: randomUUID(),
      datasetId: dataset.id,
      baseVersion: dataset.dataUseVersion,
      appliedVersion,
      previous,
      dataUse,
      direction,
      status: narrowing ? 'applied' : 'pending',
      requestedBy: actor?.kind === 'user' ? actor.userId : dataset.stewardId,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: narrowing ? 'dataset.data_use.narrow' : 'dataset.data_use.widen_request',
    targetType: 'dataset',
    targetId: dataset.id,
    payload: { changeId: change!.id, direction, version: appliedVersion ?? dataset.dataUseVersion },
  });
  return { change: change!, direction };
}

/**
 * A yes or no on a pending widening, with a note: one member's vote on it
 * (review/data-use-change-votes.ts) and the committee's decision its tally passes on here.
 */
export const DataUseChangeVerdictInput = z.strictObject({
  changeId: idSchema,
  approve: z.boolean({ error: 'approve must be true or false' }),
  note: z.string().trim().max(2_000).default(''),
});

/**
 * A data-use change, locked until the transaction ends so that votes and the decision on it are
 * taken one at a time, or "not found".
 */
export async function dataUseChangeForUpdate(tx: Tx, changeId: string): Promise<DataUseChangeRow> {
  const [change] = await tx
    .select()
    .from(dataUseChanges)
    .where(eq(dataUseChanges.id, changeId))
    .for('update');
  if (!change) throw new NotFoundError('Data-use change');
  return change;
}

/**
 * Applies the decision of the dataset's committee on a pending widening (called by its tally,
 * review/data-use-change-votes.ts, never on one member's say). Approving applies
 * it as the dataset's next version, provided the data use has not changed since it was asked
 * for (else the comparison it was judged on no longer holds: conflict, nothing changes).
 */
export async function decideDataUseChange(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DataUseChangeRow> {
  assertCanDecideDataUseChange(actor);
  const data = parseInput(DataUseChangeVerdictInput, input);
  const change = await dataUseChangeForUpdate(tx, data.changeId);
  if (change.status !== 'pending')
    throw new ConflictError(`The change is already ${change.status}`);
  const [dataset] = await tx
    .select()
    .from(datasets)
    .where(eq(datasets.id, change.datasetId))
    .for('update');
  let appliedVersion: number | null = null;
  if (data.approve) {
    if (dataset!.dataUseVersion !== change.baseVersion)
      throw new ConflictError(
        'The dataset’s data use changed after this widening was asked for: reject it and ask again',
      );
    const dataUse = change.dataUse as DataUse;
    assertDataUseValuesCurrent(dataUse);
    appliedVersion = await applyTerms(tx, dataset!, dataUse);
  }
  const [decided] = await tx
    .update(dataUseChanges)
    .set({
      status: data.approve ? 'applied' : 'rejected',
      appliedVersion,
      decidedBy: actor?.kind === 'user' ? actor.userId : null,
      decidedAt: new Date(),
      decisionNote: data.note || null,
    })
    .where(eq(dataUseChanges.id, change.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'dataset.data_use.decide',
    targetType: 'dataset',
    targetId: change.datasetId,
    payload: { changeId: change.id, approve: data.approve, version: appliedVersion },
  });
  return decided!;
}

/** A dataset's data-use history, newest first (pending, applied and rejected changes). */
export function dataUseHistory(tx: Tx, datasetId: string): Promise<DataUseChangeRow[]> {
  return tx
    .select()
    .from(dataUseChanges)
    .where(eq(dataUseChanges.datasetId, datasetId))
    .orderBy(desc(dataUseChanges.createdAt));
}

/** Widenings waiting for the board, oldest first. */
export async function pendingDataUseChanges(
  tx: Tx,
  actor: Actor | null,
): Promise<DataUseChangeRow[]> {
  assertCanDecideDataUseChange(actor);
  return tx
    .select()
    .from(dataUseChanges)
    .where(eq(dataUseChanges.status, 'pending'))
    .orderBy(dataUseChanges.createdAt);
}
