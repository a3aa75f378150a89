import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { CollectionConsentSchema, collectionConsentOfRow } from './collection-consent.js';
import { datasets } from './datasets.tables.js';
import { editableDataset } from './editable-dataset.js';

const SetCollectionConsentInput = z.strictObject({
  datasetId: idSchema,
  collectionConsent: CollectionConsentSchema,
});

/**
 * Corrects the consent a dataset's participants gave at collection (its steward or an admin),
 * audited with the record before and after. It changes what governs every participant of the
 * dataset who never stated their own choices, from the next decision on; nothing else is
 * touched. Bad input (an unknown kind, `specific` without DUO codes) changes nothing.
 */
export async function setCollectionConsent(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<typeof datasets.$inferSelect> {
  const data = parseInput(SetCollectionConsentInput, input);
  const existing = await editableDataset(tx, actor, data.datasetId);
  const [row] = await tx
    .update(datasets)
    .set({
      collectionConsent: data.collectionConsent.kind,
      collectionDuoCodes: [...data.collectionConsent.duoCodes],
      updatedAt: new Date(),
    })
    .where(eq(datasets.id, existing.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'dataset.collection_consent.change',
    targetType: 'dataset',
    targetId: existing.id,
    payload: {
      before: collectionConsentOfRow(existing),
      after: data.collectionConsent,
    },
  });
  return row!;
}
