import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import { genotypeUploadCalls, genotypeUploads } from '../genotype-upload/genotype-upload.tables.js';
import { phenotypeObservations, samples } from './ingest.tables.js';

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
  const calls = await eraseDatasetCalls(tx, participant);
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

/**
 * Removes the participant's number from the carrier arrays of the datasets they are a sample in
 * (calls are only stored for a dataset's samples, so no other row holds it) and deletes rows
 * left with no carrier: an empty row would still say the dataset had the site (see the export's
 * absent-call rule). Returns the variants that lost a call, one entry per call removed (a
 * participant is at most once in a row).
 */
async function eraseDatasetCalls(
  tx: Tx,
  participant: { id: string; num: number },
): Promise<{ variantId: number }[]> {
  const num = participant.num;
  const rows = await queryRows<{ id: string; variant_id: number; empty: boolean }>(
    tx,
    sql`update variant_call_sets set het = array_remove(het, ${num}::int),
          hom = array_remove(hom, ${num}::int), hemi = array_remove(hemi, ${num}::int)
        where dataset_id in (select dataset_id from samples where participant_id = ${participant.id})
          and (het || hom || hemi) && array[${num}::int]
        returning id::text as id, variant_id, cardinality(het) + cardinality(hom) + cardinality(hemi) = 0 as empty`,
  );
  const emptied = rows.filter((r) => r.empty).map((r) => r.id);
  if (emptied.length)
    await tx.execute(
      sql`delete from variant_call_sets where id = any(${pgTextArray(emptied)}::bigint[])`,
    );
  return rows.map((r) => ({ variantId: r.variant_id }));
}
