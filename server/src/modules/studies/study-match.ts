import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import {
  matchAcrossDatasets,
  type CombinedMatchResult,
} from '../consent/duo/match-across-datasets.js';
import type { DiseaseOntology } from '../consent/duo/disease-ontology.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { dataUseOfRow } from '../datasets/data-use-changes.service.js';
import { datasets } from '../datasets/datasets.tables.js';

/**
 * The DUO match of a study's purpose against each dataset it asks for. An unknown dataset id
 * is a validation error naming it.
 */
export async function matchStudy(
  tx: Tx,
  ontology: DiseaseOntology,
  purpose: ResearchPurpose,
  datasetIds: readonly string[],
): Promise<CombinedMatchResult> {
  const rows = datasetIds.length
    ? await tx
        .select()
        .from(datasets)
        .where(inArray(datasets.id, [...datasetIds]))
    : [];
  const missing = datasetIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) {
    throw new ValidationError(`Unknown dataset(s): ${missing.join(', ')}`, [
      { field: 'datasetIds', message: `unknown: ${missing.join(', ')}` },
    ]);
  }
  return matchAcrossDatasets(
    purpose,
    datasetIds.map((id) => {
      const d = rows.find((r) => r.id === id)!;
      return {
        datasetId: d.id,
        label: d.name,
        dataUse: dataUseOfRow(d),
      };
    }),
    ontology,
  );
}

/**
 * What a submission still lacks: evidence the matched datasets' obligations demand up front
 * (an IRB letter for IRB, collaborators for COL).
 */
export function missingEvidence(
  match: CombinedMatchResult,
  study: { irbEvidenceSha256: string | null; collaborators: readonly string[] },
): { field: string; message: string }[] {
  const needed = new Set(
    match.datasets
      .filter((d) => d.decision !== 'DENY')
      .flatMap((d) => d.obligations.map((o) => o.evidence))
      .filter((e) => e !== undefined),
  );
  const issues: { field: string; message: string }[] = [];
  if (needed.has('irb_letter') && !study.irbEvidenceSha256)
    issues.push({ field: 'irbEvidence', message: 'a dataset requires an IRB approval letter' });
  if (needed.has('collaboration_agreement') && study.collaborators.length === 0)
    issues.push({
      field: 'collaborators',
      message: 'a dataset requires collaboration with its investigators: name them',
    });
  return issues;
}
