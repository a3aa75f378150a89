import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { collectionConsentOfRow, type CollectionConsent } from '../datasets/collection-consent.js';
import { datasets } from '../datasets/datasets.tables.js';
import { samples } from '../datasets/ingest/ingest.tables.js';

/** The consent a participant gave when the data of one of their datasets was collected. */
export interface StartingPoint {
  datasetName: string;
  collection: CollectionConsent;
}

/**
 * What governs a participant who never states their own choices: the collection consent of each
 * dataset holding their data, by dataset name. The caller audits the read (it is part of
 * `getMyConsent`).
 */
export async function startingPoints(tx: Tx, participantId: string): Promise<StartingPoint[]> {
  const rows = await tx
    .selectDistinct({
      name: datasets.name,
      collectionConsent: datasets.collectionConsent,
      collectionDuoCodes: datasets.collectionDuoCodes,
    })
    .from(samples)
    .innerJoin(datasets, eq(datasets.id, samples.datasetId))
    .where(eq(samples.participantId, participantId))
    .orderBy(asc(datasets.name));
  return rows.map((r) => ({ datasetName: r.name, collection: collectionConsentOfRow(r) }));
}
