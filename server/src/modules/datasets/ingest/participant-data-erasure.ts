import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import { phenotypeObservations, samples, variantCalls } from './ingest.tables.js';

/** How many rows of a participant's data an erasure deleted. */
export interface ErasedData {
  phenotypes: number;
  genotypeCalls: number;
  samples: number;
}

/**
 * Deletes a participant's phenotypes, genotype calls and sample links from every dataset
 * (erasure). Uploaded files are not kept after their ingest (only their digest), so the rows are
 * all there is. Tells the cohort index to re-read the participant.
 */
export async function eraseParticipantData(
  tx: Tx,
  participant: { id: string; num: number },
): Promise<ErasedData> {
  const phenotypes = await tx
    .delete(phenotypeObservations)
    .where(eq(phenotypeObservations.participantId, participant.id))
    .returning({ term: phenotypeObservations.term });
  const calls = await tx
    .delete(variantCalls)
    .where(eq(variantCalls.participantNum, participant.num))
    .returning({ variantId: variantCalls.variantId });
  const links = await tx
    .delete(samples)
    .where(eq(samples.participantId, participant.id))
    .returning({ sampleId: samples.sampleId });
  await recordCohortChange(tx, 'participant', participant.num);
  return { phenotypes: phenotypes.length, genotypeCalls: calls.length, samples: links.length };
}
