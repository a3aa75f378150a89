import type { DiseaseOntology } from './disease-ontology.js';
import { worstDecision } from './finding.js';
import { matchDataUse } from './match-data-use.js';
import type { DataUseTerms, MatchDecision, MatchResult, ResearchPurpose } from './match-types.js';

/** One dataset of a multi-dataset request with its terms. */
export interface DatasetDataUse {
  datasetId: string;
  /** How reasons name the dataset (its name); the id when absent. */
  label?: string;
  dataUse: DataUseTerms;
}

/** The verdict on one dataset of a multi-dataset request. */
export interface DatasetMatchResult extends MatchResult {
  datasetId: string;
  label?: string;
}

/** The verdicts on every dataset of a request, with the request's overall decision. */
export interface CombinedMatchResult {
  /** The most severe per-dataset decision: one refused dataset refuses the request as asked. */
  decision: MatchDecision;
  reasons: string[];
  datasets: DatasetMatchResult[];
  /** The shortest TS limit among datasets that could be granted (not denied). */
  grantExpiryMonths?: number;
}

function summary(decision: MatchDecision, datasets: readonly DatasetMatchResult[]): string {
  const ids = datasets.filter((d) => d.decision === decision).map((d) => d.label ?? d.datasetId);
  const verb = { APPROVE: 'approved', DENY: 'denied', ABSTAIN: 'need human review' }[decision];
  return `${ids.length} of ${datasets.length} dataset(s) ${verb}: ${ids.join(', ')}`;
}

/**
 * Matches a purpose against several datasets. Each dataset keeps its own result so a reviewer
 * can grant the fitting ones; the overall decision is the worst of them.
 */
export function matchAcrossDatasets(
  purpose: ResearchPurpose,
  dataUses: readonly DatasetDataUse[],
  ontology: DiseaseOntology,
): CombinedMatchResult {
  if (dataUses.length === 0) {
    return { decision: 'DENY', reasons: ['The request names no dataset'], datasets: [] };
  }
  const datasets = dataUses.map(({ datasetId, label, dataUse }) => ({
    datasetId,
    ...(label === undefined ? {} : { label }),
    ...matchDataUse(purpose, dataUse, ontology),
  }));
  const decision = worstDecision(datasets.map((d) => d.decision));
  const reasons = (['DENY', 'ABSTAIN', 'APPROVE'] as const)
    .filter((d) => datasets.some((r) => r.decision === d))
    .map((d) => summary(d, datasets));
  const result: CombinedMatchResult = { decision, reasons, datasets };
  const limits = datasets
    .filter((d) => d.decision !== 'DENY')
    .flatMap((d) => (d.grantExpiryMonths === undefined ? [] : [d.grantExpiryMonths]));
  if (limits.length > 0) result.grantExpiryMonths = Math.min(...limits);
  return result;
}
