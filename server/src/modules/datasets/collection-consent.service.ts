import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { CollectionConsentSchema, collectionConsentOfRow } from './collection-consent.js';
import type { datasets } from './datasets.tables.js';
import { changeDatasetSetting } from './editable-dataset.js';

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
  return changeDatasetSetting(tx, actor, data.datasetId, {
    action: 'dataset.collection_consent.change',
    set: {
      collectionConsent: data.collectionConsent.kind,
      collectionDuoCodes: [...data.collectionConsent.duoCodes],
    },
    before: collectionConsentOfRow,
    after: data.collectionConsent,
  });
}
