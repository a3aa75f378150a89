import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { DataUseSchema } from './data-use.js';
import { CollectionConsentSchema, DEFAULT_COLLECTION_CONSENT } from './collection-consent.js';
import {
  assertDataUseValuesCurrent,
  recordDataUseChange,
  type DataUseChangeRow,
} from './data-use-changes.service.js';
import { assertCanBrowseDatasets, assertCanRegisterDataset } from './datasets.policy.js';
import { datasets } from './datasets.tables.js';
import { editableDataset } from './editable-dataset.js';
import { users } from '../accounts/accounts.tables.js';

/** A dataset row. */
export type DatasetRecord = typeof datasets.$inferSelect;

const nameField = z.string().trim().min(3, { message: 'must be at least 3 characters' }).max(120);
const descriptionField = z.string().trim().max(5_000);

export const RegisterDatasetInput = z.object({
  name: nameField,
  description: descriptionField.default(''),
  dataUse: DataUseSchema,
  /** The consent its participants gave at collection; none given: re-contact for each use. */
  collectionConsent: CollectionConsentSchema.nullish(),
  /** Who stewards it; defaults to the caller. Only an admin or operator may name someone else. */
  stewardId: idSchema.nullish(),
});

async function assertNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await tx
    .select({ id: datasets.id })
    .from(datasets)
    .where(eq(datasets.name, name));
  if (clash && clash.id !== exceptId)
    throw new ConflictError(`A dataset named "${name}" already exists`);
}

/** Registers a dataset with its DUO data-use terms (steward). */
export async function registerDataset(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DatasetRecord> {
  assertCanRegisterDataset(actor);
  const data = parseInput(RegisterDatasetInput, input);
  let stewardId =
    actor?.kind === 'user' && actor.role === 'steward' ? actor.userId : data.stewardId;
  if (actor?.kind === 'user' && actor.role === 'admin') stewardId = data.stewardId ?? actor.userId;
  if (!stewardId) {
    throw new ValidationError('stewardId is required when an operator registers a dataset', [
      { field: 'stewardId', message: 'is required' },
    ]);
  }
  const [steward] = await tx
    .select({ role: users.role })
    .from(users)
    .where(eq(users.id, stewardId));
  if (!steward || (steward.role !== 'steward' && steward.role !== 'admin'))
    throw new NotFoundError('Steward');
  await assertNameFree(tx, data.name);
  assertDataUseValuesCurrent(data.dataUse);
  const collection = data.collectionConsent ?? DEFAULT_COLLECTION_CONSENT;
  try {
    const [row] = await tx
      .insert(datasets)
      .values({
        id: randomUUID(),
        name: data.name,
        description: data.description,
        stewardId,
        duoPermission: data.dataUse.permission,
        duoDiseases: data.dataUse.diseases,
        duoModifiers: data.dataUse.modifiers,
        duoParams: data.dataUse.params,
        collectionConsent: collection.kind,
        collectionDuoCodes: [...collection.duoCodes],
      })
      .returning();
    await appendAuditEvent(tx, actor, {
      action: 'dataset.register',
      targetType: 'dataset',
      targetId: row!.id,
      payload: { dataUse: data.dataUse, collectionConsent: collection },
    });
    return row!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`A dataset named "${data.name}" already exists`);
    throw error;
  }
}

export const UpdateDatasetInput = z.object({
  id: idSchema,
  name: nameField.nullish(),
  description: descriptionField.nullish(),
  dataUse: DataUseSchema.nullish(),
});

/**
 * Changes a dataset's name, description or data-use terms (its steward or an admin). Data-use
 * changes are versioned (data-use-changes.service.ts): a narrowing applies now, a widening
 * waits for the board and the dataset keeps its current terms meanwhile.
 */
export async function updateDataset(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DatasetRecord & { dataUseChange: DataUseChangeRow | null }> {
  const data = parseInput(UpdateDatasetInput, input);
  const existing = await editableDataset(tx, actor, data.id);
  if (data.name) await assertNameFree(tx, data.name, existing.id);
  const change = data.dataUse ? await recordDataUseChange(tx, actor, existing, data.dataUse) : null;
  const [row] = await tx
    .update(datasets)
    .set({
      name: data.name ?? existing.name,
      description: data.description ?? existing.description,
      updatedAt: new Date(),
    })
    .where(eq(datasets.id, existing.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'dataset.update',
    targetType: 'dataset',
    targetId: existing.id,
    payload: {
      changed: Object.keys(data).filter((k) => k !== 'id' && data[k as keyof typeof data] != null),
      ...(change ? { dataUseChange: change.direction, status: change.change.status } : {}),
    },
  });
  return { ...row!, dataUseChange: change?.change ?? null };
}

/** The dataset catalogue, by name. */
export async function listDatasets(tx: Tx, actor: Actor | null): Promise<DatasetRecord[]> {
  assertCanBrowseDatasets(actor);
  return tx.select().from(datasets).orderBy(asc(datasets.name));
}

/** One dataset of the catalogue. */
export async function getDataset(tx: Tx, actor: Actor | null, id: unknown): Promise<DatasetRecord> {
  assertCanBrowseDatasets(actor);
  const datasetId = parseInput(idSchema, id);
  const [row] = await tx.select().from(datasets).where(eq(datasets.id, datasetId));
  if (!row) throw new NotFoundError('Dataset');
  return row;
}
