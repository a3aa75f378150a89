import type { ProtectedCount } from './count-privacy.js';
import type { RoaringBitmap32 } from './roaring.js';

interface Remembered {
  set: RoaringBitmap32;
  answer: ProtectedCount;
  at: number;
}

/** How much a user's recent result sets are remembered. */
export interface GuardSettings {
  /** Result sets closer than this (symmetric difference) get the same answer: the min cell count. */
  minDifference: number;
  perUser: number;
  ttlMs: number;
}

/**
 * Defence against differencing (A vs A-minus-target) and tracker attacks: when a new result set
 * of at least `minDifference` members differs from one of the same user's recent such sets by
 * fewer than `minDifference` participants (including not at all), the earlier answer is given
 * again. Whether or not the
 * target is in the set, the two queries then look the same. Kept in memory per API instance.
 */
export class DifferencingGuard {
  private readonly recent = new Map<string, Remembered[]>();

  constructor(private readonly settings: GuardSettings) {}

  /**
   * The answer for `set` (asked by `user` under `scope`, e.g. a purpose): an earlier answer for a
   * nearby set, or `compute()` remembered for next time.
   */
  answer(
    user: string,
    scope: string,
    set: RoaringBitmap32,
    compute: () => ProtectedCount,
  ): ProtectedCount {
    // Below the threshold the answer is "<min" or "0" anyway; only shown numbers need guarding.
    if (set.size < this.settings.minDifference) return compute();
    const key = `${user}\n${scope}`;
    const now = Date.now();
    const list = (this.recent.get(key) ?? []).filter((r) => {
      if (now - r.at <= this.settings.ttlMs) return true;
      r.set.dispose();
      return false;
    });
    for (const r of list) {
      if (set.xorCardinality(r.set) < this.settings.minDifference) {
        this.recent.set(key, list);
        return r.answer;
      }
    }
    const answer = compute();
    list.push({ set: set.clone(), answer, at: now });
    while (list.length > this.settings.perUser) list.shift()!.set.dispose();
    this.recent.set(key, list);
    return answer;
  }
}

/** A guard with the defaults: the min cell count, 200 sets per user and scope, for 24 hours. */
export function defaultDifferencingGuard(minCellCount: number): DifferencingGuard {
  return new DifferencingGuard({ minDifference: minCellCount, perUser: 200, ttlMs: 24 * 3600_000 });
}
