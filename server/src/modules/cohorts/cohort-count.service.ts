import type { Tx } from '../../db/database.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import { CohortCriteriaSchema, type CohortCriteria } from './cohort-criteria.js';
import { normalisedPurpose } from './count-purpose.js';
import type { CohortCounter } from './cohort-counter.js';
import type { CohortIndex } from './cohort-index.js';
import type { ProtectedCount } from './count-privacy.js';
import { RoaringBitmap32 } from './roaring.js';
import { criteriaForAudit } from './criteria-limits.js';

/** What a count query answers: protected figures only. */
export interface CohortCountResult extends ProtectedCount {
  breakdown: {
    permitted: ProtectedCount;
    /** Of the permitted, those whose consent their own passkey signed. */
    permittedSigned: ProtectedCount;
    /** Of the permitted, those whose consent the institution recorded for them. */
    permittedRecorded: ProtectedCount;
    ask: ProtectedCount;
    excluded: ProtectedCount;
  } | null;
  /** Queries left in the caller's rolling 24-hour budget. */
  remainingBudget: number;
}

/** Who may count: researchers, boards, stewards and admins; never participants. */
export function assertCanCount(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'researcher', 'ethics_board', 'steward', 'admin'))
    return;
  throw new ForbiddenError('Only researchers, ethics boards and stewards can count cohorts');
}

/** The index a count was given missed changes the log holds (see `countCohortInTransaction`). */
class StaleCohortIndex extends Error {
  constructor() {
    super('the cohort index is behind the change log');
  }
}

/** Runs `fn` in one database transaction (the request's `inTransaction`). */
export type RunInTransaction = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * `countCohort` in a transaction, on an index current with every change committed before the
 * transaction's budget statement. A user's count takes the index as last synced and checks it
 * against the change log's latest sequence number, read by the budget statement it sends anyway:
 * one round trip fewer than syncing first (issue #19). When the log holds newer changes
 * (committed by this process or any other), that transaction is rolled back (its budget spend
 * with it) and the count runs again after a sync, as every count used to.
 */
export async function countCohortInTransaction(
  transaction: RunInTransaction,
  actor: Actor | null,
  counter: CohortCounter,
  input: { criteria: unknown; purpose?: ResearchPurposeArgs | null },
): Promise<CohortCountResult> {
  if (actor?.kind === 'user') {
    const index = await counter.engine.lastSynced();
    try {
      return await transaction((tx) => countCohort(tx, actor, counter, index, input, true));
    } catch (error) {
      if (!(error instanceof StaleCohortIndex)) throw error;
    }
  }
  // Synced before the transaction opens: PGlite's one connection cannot sync from inside it.
  const index = await counter.index();
  return transaction((tx) => countCohort(tx, actor, counter, index, input));
}

/**
 * Counts the eligible participants matching the criteria, through the process's one counter:
 * within the caller's daily budget, small-cell suppression, deterministic per-set noise (asking
 * again cannot average it away), and the same answer for a set within minCellCount of one the
 * caller saw through any door (differencing defence). The purpose is normalised first (defaults
 * filled, lists sorted), so two spellings of one purpose are one purpose. Every count is audited
 * with a digest and a bounded summary of its criteria.
 * `index` must come from `counter.index()` before the transaction opens, or be checked
 * (`checkIndex`; see `countCohortInTransaction`).
 */
export async function countCohort(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  input: { criteria: unknown; purpose?: ResearchPurposeArgs | null },
  /** `index` is as last synced: check it against the log in the budget statement. */
  checkIndex = false,
): Promise<CohortCountResult> {
  assertCanCount(actor);
  const criteria: CohortCriteria = parseInput(CohortCriteriaSchema, input.criteria);
  const purpose = input.purpose ? normalisedPurpose(input.purpose) : null;
  const userKey = actor.kind === 'user' ? actor.userId : `system:${actor.name}`;
  let remaining = counter.settings.budgetPerDay;
  if (actor.kind === 'user') {
    const spent = await counter.spendBudgetReadingChangeLog(tx, actor.userId);
    if (checkIndex && !counter.engine.isCurrentWith(spent.latestChangeSeq))
      throw new StaleCohortIndex();
    remaining = spent.remaining;
  }
  const protect = await counter.protector(tx, userKey);
  const members = index.members(criteria);
  try {
    const total = protect(members);
    let breakdown: CohortCountResult['breakdown'] = null;
    if (purpose) {
      const split = await counter.consent.split(tx, index, members, purpose);
      try {
        const recorded = RoaringBitmap32.andNot(split.permitted, split.permittedSigned);
        try {
          breakdown = {
            permitted: protect(split.permitted),
            // Each part is protected on its own, as any other count is (small cells suppressed).
            permittedSigned: protect(split.permittedSigned),
            permittedRecorded: protect(recorded),
            ask: protect(split.ask),
            excluded: protect(split.excluded),
          };
        } finally {
          recorded.dispose();
        }
      } finally {
        split.permitted.dispose();
        split.permittedSigned.dispose();
        split.ask.dispose();
        split.excluded.dispose();
      }
    }
    await appendAuditEvent(tx, actor, {
      action: 'cohort.count',
      targetType: 'cohort',
      payload: {
        ...criteriaForAudit(criteria),
        purpose: purpose ? { ...purpose, otherText: purpose.otherText ? '(text)' : null } : null,
        shown: total.display,
        breakdown: breakdown
          ? {
              permitted: breakdown.permitted.display,
              permittedSigned: breakdown.permittedSigned.display,
              permittedRecorded: breakdown.permittedRecorded.display,
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
