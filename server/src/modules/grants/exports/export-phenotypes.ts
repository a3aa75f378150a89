import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { currentRecordTerms } from '../../record/record-terms.js';

/** One phenotype or condition of an exported sample, with where it came from. */
export interface ExportedPhenotype {
  /** HPO or MONDO CURIE. */
  term: string;
  /** false: the study's ingest recorded it as absent. */
  present: boolean;
  /** `steward_ingest` (a dataset's phenotype file), `self_report` or `clinician`. */
  source: 'steward_ingest' | 'self_report' | 'clinician';
}

/**
 * What an export manifest says each field holds and where its values come from, so a researcher
 * can tell a study's measurement from a participant's word or a clinician's.
 */
export const EXPORT_FIELD_SOURCES = {
  'vcf (GT per sample)':
    'genotype calls of the granted datasets, from their data stewards’ VCF ingests; a participant’s own genotype uploads belong to no dataset and are not exported under a dataset grant',
  samples: 'export-specific pseudonymous sample ids, new for each export',
  consentVouchedBy:
    'whose word each sample’s consent rests on: the participant’s passkey signature or the institution recording it',
  'phenotypes[sample][].term':
    'HPO/MONDO terms: from the datasets’ phenotype ingests (source steward_ingest) and the participant’s record (source self_report: the participant said so; clinician: a clinician they authorised added it), current versions, retractions left out',
  'phenotypes[sample][].present': 'false when a phenotype ingest recorded the term as absent',
  'phenotypes[sample][].source': 'steward_ingest, self_report or clinician',
} as const;

/**
 * The phenotypes and conditions of the exported participants, by their export sample id, each
 * with its source. Only participants already included (their consent permits the study) are
 * read; private notes, onsets and authors' names are never exported.
 */
export async function exportPhenotypes(
  tx: Tx,
  samples: readonly { participantId: string; sampleId: string }[],
): Promise<Record<string, ExportedPhenotype[]>> {
  const out: Record<string, ExportedPhenotype[]> = {};
  if (!samples.length) return out;
  const ids = pgTextArray(samples.map((s) => s.participantId));
  const rows = await queryRows<{
    participant_id: string;
    term: string;
    present: boolean;
    source: ExportedPhenotype['source'];
  }>(
    tx,
    sql`select o.participant_id, o.term, o.present, 'steward_ingest' as source
          from phenotype_observations o where o.participant_id = any(${ids}::uuid[])
        union
        select r.participant_id, r.term, true as present, r.source
          from ${currentRecordTerms()} r where r.participant_id = any(${ids}::uuid[])
        order by 1, 2, 4`,
  );
  const sampleOf = new Map(samples.map((s) => [s.participantId, s.sampleId]));
  for (const s of samples) out[s.sampleId] = [];
  for (const r of rows)
    out[sampleOf.get(r.participant_id)!]!.push({
      term: r.term,
      present: r.present,
      source: r.source,
    });
  return out;
}
