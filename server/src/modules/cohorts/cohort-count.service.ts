import type { Tx } from '../../db/database.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import { CohortCriteriaSchema, type CohortCriteria } from './cohort-criteria.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentBreakdownProvider } from './consent-breakdown.js';
import type { DifferencingGuard } from './differencing-guard.js';
import type { ProtectedCount } from './count-privacy.js';
import { countProtector, spendCountBudget } from './count-protection.js';

/** Policy for count queries, from the configuration. */
export interface CountSettings {
  minCellCount: number;
  noiseRange: number;
  budgetPerDay: number;
}

/** What a count query answers: protected figures only. */
export interface CohortCountResult extends ProtectedCount {
  breakdown: { permitted: ProtectedCount; ask: ProtectedCount; excluded: ProtectedCount } | null;
  /** Queries left in the caller's rolling 24-hour budget. */
  remainingBudget: number;
}

/** Who may count: researchers, boards, stewards and admins; never participants. */
export function assertCanCount(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'researcher', 'ethics_board', 'steward', 'admin'))
    return;
  throw new ForbiddenError('Only researchers, ethics boards and stewards can count cohorts');
}

/**
 * Counts the eligible participants matching the criteria, within the caller's daily budget:
 * small-cell suppression, deterministic per-set noise (asking again cannot average it away), and
 * the same answer for a set within minCellCount of one the caller recently saw (differencing
 * defence). Every count is audited.
 * `index` must be synced by the caller before the transaction opens: PGlite has one connection,
 * so syncing from inside the transaction would wait on itself.
 */
export async function countCohort(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  guard: DifferencingGuard,
  consent: ConsentBreakdownProvider,
  settings: CountSettings,
  input: { criteria: unknown; purpose?: ResearchPurposeArgs | null },
): Promise<CohortCountResult> {
  assertCanCount(actor);
  const criteria: CohortCriteria = parseInput(CohortCriteriaSchema, input.criteria);
  if (input.purpose) parseInput(ResearchPurposeSchema, purposeFromArgs(input.purpose));
  const userKey = actor.kind === 'user' ? actor.userId : `system:${actor.name}`;
  const remaining =
    actor.kind === 'user'
      ? await spendCountBudget(tx, actor.userId, settings.budgetPerDay)
      : settings.budgetPerDay;
  const protect = await countProtector(tx, guard, settings, userKey);
  const members = index.members(criteria);
  try {
    const total = protect(members, 'total');
    let breakdown: CohortCountResult['breakdown'] = null;
    if (input.purpose) {
      const split = await consent.split(tx, index, members, input.purpose);
      try {
        const scope = JSON.stringify(input.purpose);
        breakdown = {
          permitted: protect(split.permitted, `permitted ${scope}`),
          ask: protect(split.ask, `ask ${scope}`),
          excluded: protect(split.excluded, `excluded ${scope}`),
        };
      } finally {
        split.permitted.dispose();
        split.ask.dispose();
        split.excluded.dispose();
      }
    }
    await appendAuditEvent(tx, actor, {
      action: 'cohort.count',
      targetType: 'cohort',
      payload: {
        criteria: JSON.parse(JSON.stringify(criteria)) as Record<string, unknown>,
        purpose: input.purpose
          ? { ...input.purpose, otherText: input.purpose.otherText ? '(text)' : null }
          : null,
        shown: total.display,
        breakdown: breakdown
          ? {
              permitted: breakdown.permitted.display,
              ask: breakdown.ask.display,
              excluded: breakdown.excluded.display,
            }
          : null,
      },
    });
    return { ...total, breakdown, remainingBudget: remaining };
  } finally {
    members.dispose();
  }
}
