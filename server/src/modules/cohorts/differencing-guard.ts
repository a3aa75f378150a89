import type { ProtectedCount } from './count-privacy.js';
import type { RoaringBitmap32 } from './roaring.js';

interface Remembered {
  set: RoaringBitmap32;
  /** `set.size`, kept so most comparisons end before the bitmaps are read. */
  size: number;
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
 * Defence against differencing (A vs A-minus-target) and tracker attacks: when a new non-empty
 * result set differs from one of the same caller's recent sets by fewer than `minDifference`
 * participants (including not at all), the earlier answer is given again. Whether or not the
 * target is in the set, the two queries then look the same. One memory per caller across every
 * scope (a total, a consent-breakdown part for any purpose, a study figure) and every door
 * (GraphQL, Beacon, study summary): a set is a set, however it was asked for. Sets below the
 * threshold are remembered too, so "20 members: shown" against "19 members: <20" cannot be
 * played either. Kept in memory per API instance.
 */
export class DifferencingGuard {
  private readonly recent = new Map<string, Remembered[]>();

  constructor(private readonly settings: GuardSettings) {}

  /**
   * The answer for `set` asked by `caller`: an earlier answer for a nearby set, or `compute()`
   * remembered for next time. The empty set is always answered by `compute()` (0 is shown as 0
   * by design).
   */
  answer(caller: string, set: RoaringBitmap32, compute: () => ProtectedCount): ProtectedCount {
    if (set.size === 0) return compute();
    const now = Date.now();
    const list = (this.recent.get(caller) ?? []).filter((r) => {
      if (now - r.at <= this.settings.ttlMs) return true;
      r.set.dispose();
      return false;
    });
    const size = set.size;
    for (const r of list) {
      // |A Δ B| ≥ ||A| − |B||: sets whose sizes differ by the threshold or more cannot be close,
      // and skipping them is exact. At a million participants the symmetric difference of two
      // large sets costs ~70 µs, and 200 remembered sets made it most of a count's time.
      if (Math.abs(size - r.size) >= this.settings.minDifference) continue;
      if (set.xorCardinality(r.set) < this.settings.minDifference) {
        this.recent.set(caller, list);
        return r.answer;
      }
    }
    const answer = compute();
    list.push({ set: set.clone(), size, answer, at: now });
    while (list.length > this.settings.perUser) list.shift()!.set.dispose();
    this.recent.set(caller, list);
    return answer;
  }

  /** Frees every remembered set. */
  dispose(): void {
    for (const list of this.recent.values()) for (const r of list) r.set.dispose();
    this.recent.clear();
  }
}

/** A guard with the defaults: the min cell count, 200 sets per caller, for 24 hours. */
export function defaultDifferencingGuard(minCellCount: number): DifferencingGuard {
  return new DifferencingGuard({ minDifference: minCellCount, perUser: 200, ttlMs: 24 * 3600_000 });
}
