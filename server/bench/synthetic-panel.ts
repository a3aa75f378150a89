import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.js';
import type { Actor } from '../src/modules/actors/actor.js';
import { registerDataset } from '../src/modules/datasets/datasets.service.js';
import { ingestVcf } from '../src/modules/datasets/ingest/vcf-ingest.service.js';
import { generateSyntheticCohort } from '../src/modules/genomics/synth/generate-cohort.js';
import { importParticipants } from '../src/modules/participants/participant-import.service.js';

/** How large a synthetic cohort to generate (the benchmarks' --participants, --variants, --calls). */
export interface SyntheticCohortSize {
  participants: number;
  variants: number;
  calls: number;
}

/**
 * Registers the "Bench panel" dataset (general research use, stewarded by `stewardId`) and fills
 * it through the product's own paths: a synthetic cohort (seed 7) generated into a temporary
 * folder, its participants imported, its VCFs ingested, the folder removed. Answers the dataset.
 */
export async function syntheticBenchPanel(
  db: Database,
  operator: Actor,
  {
    stewardId,
    description,
    size,
  }: { stewardId: string; description: string; size: SyntheticCohortSize },
) {
  const dataset = await db.transaction((tx) =>
    registerDataset(tx, operator, {
      name: 'Bench panel',
      description,
      dataUse: { permission: 'GRU', modifiers: [] },
      stewardId,
    }),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bench-panel-'));
  try {
    const truth = await generateSyntheticCohort({ ...size, seed: 7, outDir: dir });
    await importParticipants(db, operator, path.join(dir, truth.participantsFile));
    for (const file of truth.vcfFiles)
      await ingestVcf(db, operator, { datasetId: dataset.id, path: path.join(dir, file.file) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return dataset;
}

/** The cohort size a benchmark's parsed --participants, --variants and --calls options name. */
export const cohortSizeOf = (opts: {
  participants: string;
  variants: string;
  calls: string;
}): SyntheticCohortSize => ({
  participants: Number(opts.participants),
  variants: Number(opts.variants),
  calls: Number(opts.calls),
});
