import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import { genotypeUploadCalls, genotypeUploads } from '../genotype-upload/genotype-upload.tables.js';
import { phenotypeObservations, samples, variantCalls } from './ingest.tables.js';

/** How many rows of a participant's data an erasure deleted. */
export interface ErasedData {
  phenotypes: number;
  genotypeCalls: number;
  samples: number;
}

/**
 * Deletes a participant's phenotypes, genotype calls and sample links from every dataset, and
 * the genotype files they uploaded themselves (erasure). Uploaded files are not kept after their ingest (only their digest), so the rows are
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
  // The participant's own genotype uploads go too (their calls first: they reference the upload).
  const uploaded = await tx
    .delete(genotypeUploadCalls)
    .where(eq(genotypeUploadCalls.participantNum, participant.num))
    .returning({ variantId: genotypeUploadCalls.variantId });
  await tx.delete(genotypeUploads).where(eq(genotypeUploads.participantId, participant.id));
  const links = await tx
    .delete(samples)
    .where(eq(samples.participantId, participant.id))
    .returning({ sampleId: samples.sampleId });
  await recordCohortChange(tx, 'participant', participant.num);
  return {
    phenotypes: phenotypes.length,
    genotypeCalls: calls.length + uploaded.length,
    samples: links.length,
  };
}
