import type { Tx } from '../../db/database.js';
import { cohortChanges } from './cohort-changes.tables.js';

/** What the cohort index must re-read after a change. */
export type CohortChangeKind = 'participant' | 'ingest' | 'ontology' | 'record' | 'genotypes';

/**
 * Notes, inside the caller's transaction, that the cohort index must re-read something. The note
 * commits with the change, so no index ever sees the one without the other.
 */
export async function recordCohortChange(
  tx: Tx,
  kind: CohortChangeKind,
  ref: string | number,
): Promise<void> {
  await tx.insert(cohortChanges).values({ kind, ref: String(ref) });
}
