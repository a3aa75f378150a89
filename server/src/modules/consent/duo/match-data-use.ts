import type { DiseaseOntology } from './disease-ontology.js';
import { combineFindings } from './finding.js';
import type { DataUseTerms, MatchResult, ResearchPurpose } from './match-types.js';
import { modifierChecks } from './modifier-checks.js';
import { modifierFindings } from './modifier-findings.js';
import { obligationsFor } from './modifier-obligations.js';
import { permissionFindings } from './permission-rules.js';
import { sensitiveTopicFindings } from './sensitive-topic-findings.js';
import { isValidMonths } from './time-limit.js';

/**
 * Matches one research purpose against one dataset's DUO terms, after the DUO definitions and
 * the DUOS V4 algorithm (differences in README.md). Every rule contributes findings; the
 * decision is the most severe one (DENY over ABSTAIN over APPROVE) and is always explained.
 */
export function matchDataUse(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  ontology: DiseaseOntology,
): MatchResult {
  const { decision, reasons } = combineFindings([
    ...permissionFindings(purpose, dataUse, ontology),
    ...modifierFindings(purpose, dataUse),
    ...sensitiveTopicFindings(purpose),
  ]);
  const obligations = obligationsFor(dataUse.modifiers, dataUse.params);
  // The checks see every reason, approving ones included, before the decision folded them.
  const result: MatchResult = {
    decision,
    reasons,
    obligations,
    checks: modifierChecks(purpose, dataUse, obligations, reasons),
  };
  const months = dataUse.params?.timeLimitMonths;
  if (dataUse.modifiers.includes('TS') && isValidMonths(months)) result.grantExpiryMonths = months;
  return result;
}
