import type { MatchDecision } from './match-types.js';

/** One rule's verdict with the sentence that explains it. */
export interface Finding {
  verdict: MatchDecision;
  reason: string;
}

const SEVERITY: Record<MatchDecision, number> = { APPROVE: 0, ABSTAIN: 1, DENY: 2 };

/** The more severe of two decisions: DENY over ABSTAIN over APPROVE. */
export function worseDecision(a: MatchDecision, b: MatchDecision): MatchDecision {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** The most severe decision in a list; an empty list approves (nothing objected). */
export function worstDecision(decisions: Iterable<MatchDecision>): MatchDecision {
  let worst: MatchDecision = 'APPROVE';
  for (const d of decisions) worst = worseDecision(worst, d);
  return worst;
}

/**
 * Folds findings into a decision and its reasons. Approving reasons are dropped once anything
 * objects, because "the dataset permits general research" next to a DENY reads as a
 * contradiction; abstain reasons stay beside deny reasons so a researcher who fixes the denial
 * knows review still awaits.
 */
export function combineFindings(findings: readonly Finding[]): {
  decision: MatchDecision;
  reasons: string[];
} {
  const decision = worstDecision(findings.map((f) => f.verdict));
  const kept = findings
    .filter((f) => decision === 'APPROVE' || f.verdict !== 'APPROVE')
    .sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
  return { decision, reasons: [...new Set(kept.map((f) => f.reason))] };
}
