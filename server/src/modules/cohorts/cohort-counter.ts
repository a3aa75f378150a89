import type { Tx } from '../../db/database.js';
import type { CohortEngine } from './cohort-engine.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentBreakdownProvider } from './consent-breakdown.js';
import type { ProtectedCount } from './count-privacy.js';
import {
  countProtector,
  spendCountBudget,
  spendCountBudgetReadingChangeLog,
  storedCountNoiseKey,
} from './count-protection.js';
import { defaultDifferencingGuard, type DifferencingGuard } from './differencing-guard.js';
import type { RoaringBitmap32 } from './roaring.js';

/** Policy for count queries, from the configuration (`config.countPrivacy`). */
export interface CountSettings {
  minCellCount: number;
  noiseRange: number;
  budgetPerDay: number;
}

/** Protects the size of participant sets for one caller. */
export type SetProtector = (set: RoaringBitmap32) => ProtectedCount;

/**
 * The one place counts are protected, built once per process at start-up and shared by every
 * door that shows a figure derived from participants (GraphQL `cohortCount`, the Beacon, a
 * study's cohort summary): the cohort engine, one differencing guard, the count settings, the
 * per-user daily budget and the consent breakdown. Two doors cannot hold two guards, so
 * alternating between them gains an attacker nothing. Each door still writes its own audit
 * event (with `criteriaForAudit` for its criteria) in the same transaction.
 */
export class CohortCounter {
  /** The guard every door shares. */
  readonly guard: DifferencingGuard;
  /** The noise key, read once: it never changes once created (a read per count was a round trip). */
  private noiseKey: string | null = null;

  constructor(
    /** The process's cohort index. */
    readonly engine: CohortEngine,
    readonly settings: CountSettings,
    /** Splits cohorts by consent for a purpose (the consent module's provider). */
    readonly consent: ConsentBreakdownProvider,
    guard?: DifferencingGuard,
  ) {
    this.guard = guard ?? defaultDifferencingGuard(settings.minCellCount);
  }

  /**
   * The index, current with every committed change. Call it before the transaction opens:
   * PGlite has one connection, so syncing from inside a transaction would wait on itself.
   */
  index(): Promise<CohortIndex> {
    return this.engine.current();
  }

  /**
   * Spends one unit of the user's rolling 24-hour budget (shared by every door), or throws
   * RateLimitedError. Returns what is left.
   */
  spendBudget(tx: Tx, userId: string): Promise<number> {
    return spendCountBudget(tx, userId, this.settings.budgetPerDay);
  }

  /**
   * `spendBudget`, answering as well the change log's latest sequence number as the budget
   * statement saw it, to check the index with `engine.isCurrentWith` (no round trip of its own).
   */
  spendBudgetReadingChangeLog(
    tx: Tx,
    userId: string,
  ): Promise<{ remaining: number; latestChangeSeq: number }> {
    return spendCountBudgetReadingChangeLog(tx, userId, this.settings.budgetPerDay);
  }

  /**
   * Protection for `callerKey` (a user id, or a shared key such as the public Beacon's):
   * suppression, deterministic noise and this process's one differencing guard.
   */
  async protector(tx: Tx, callerKey: string): Promise<SetProtector> {
    // Only a key that was already stored is kept: one this transaction creates could roll back.
    this.noiseKey ??= (await storedCountNoiseKey(tx)) ?? null;
    return countProtector(tx, this.guard, this.settings, callerKey, this.noiseKey ?? undefined);
  }

  /** Frees the guard's memory (the engine is disposed by its owner). */
  dispose(): void {
    this.guard.dispose();
  }
}
