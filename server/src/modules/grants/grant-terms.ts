import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { Obligation } from '../consent/duo/match-types.js';

/** What a grant carries: the datasets' obligations and the board's conditions. */
export interface GrantConditions {
  obligations: (Obligation & { datasetId: string })[];
  board: string[];
}

/**
 * The datasets a grant covers: those the DUO match did not deny. A board override lets the
 * rest of a request be approved, but never the denied datasets themselves: their data use is
 * their participants' original consent, which no board can widen.
 */
export function grantedDatasets(match: CombinedMatchResult): string[] {
  return match.datasets.filter((d) => d.decision !== 'DENY').map((d) => d.datasetId);
}

/** Months between a grant's renewals: a progress report is due every year (as dbGaP asks). */
export const RENEWAL_MONTHS = 12;

/** Adds whole months in UTC, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The grant's conditions from the match (for the granted datasets) and the approving votes. */
export function grantConditions(
  match: CombinedMatchResult,
  datasetIds: readonly string[],
  boardConditions: readonly string[],
): GrantConditions {
  return {
    obligations: match.datasets
      .filter((d) => datasetIds.includes(d.datasetId))
      .flatMap((d) => d.obligations.map((o) => ({ ...o, datasetId: d.datasetId }))),
    board: [...new Set(boardConditions)],
  };
}
