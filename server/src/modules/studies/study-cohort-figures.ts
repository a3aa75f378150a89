import type { Actor } from '../actors/actor.js';
import { protectCount } from '../cohorts/count-privacy.js';
import type { StudyCohortSummary } from './studies.service.js';
import { seesExactCohortFigures } from './studies.policy.js';

/** A count as a viewer may see it: exact for the board, small cells hidden for others. */
export interface ShownCount {
  count: number | null;
  display: string;
}

/** A study's cohort figures as the viewer may see them. */
export interface StudyCohortFigures {
  permitted: ShownCount;
  ask: ShownCount;
  excluded: ShownCount;
  requests: Record<keyof StudyCohortSummary['requests'], ShownCount>;
  exact: boolean;
}

/**
 * Applies the viewer's privacy to a cohort summary: exact figures for whom the policy allows,
 * otherwise each cell below `minCellCount` suppressed (no noise: the figures are the study's own).
 */
export function studyCohortFigures(
  actor: Actor | null,
  summary: StudyCohortSummary,
  minCellCount: number,
): StudyCohortFigures {
  const exact = seesExactCohortFigures(actor);
  const policy = { minCellCount, noiseRange: 0 };
  const show = (n: number): ShownCount =>
    exact ? { count: n, display: String(n) } : protectCount(n, 0, policy);
  return {
    permitted: show(summary.permitted),
    ask: show(summary.ask),
    excluded: show(summary.excluded),
    // A researcher watching answers arrive must not learn a single participant's "no".
    requests: {
      pending: show(summary.requests.pending),
      permitted: show(summary.requests.permitted),
      declined: show(summary.requests.declined),
    },
    exact,
  };
}
