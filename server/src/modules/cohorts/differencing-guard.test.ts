import { beforeAll, describe, expect, it } from 'vitest';
import type { ProtectedCount } from './count-privacy.js';
import { DifferencingGuard } from './differencing-guard.js';
import { initRoaring, RoaringBitmap32 } from './roaring.js';

/** A set of the numbers from..to (inclusive). */
const range = (from: number, to: number) =>
  new RoaringBitmap32(Uint32Array.from({ length: to - from + 1 }, (_, i) => from + i));

/** An answer that names the call that computed it, to tell a remembered answer from a new one. */
const answerer = () => {
  let calls = 0;
  return () => {
    calls += 1;
    return { display: `answer ${calls}` } as unknown as ProtectedCount;
  };
};

describe('DifferencingGuard', () => {
  beforeAll(() => initRoaring());
  const guard = () => new DifferencingGuard({ minDifference: 20, perUser: 200, ttlMs: 60_000 });

  it('gives the earlier answer to a set that differs by fewer than the threshold', () => {
    const g = guard();
    const compute = answerer();
    expect(g.answer('u', range(1, 1_000), compute).display).toBe('answer 1');
    // 19 members fewer: the same answer; the sizes are close, so the sets are compared.
    expect(g.answer('u', range(20, 1_000), compute).display).toBe('answer 1');
    g.dispose();
  });

  it('answers anew when the sizes alone are the threshold apart', () => {
    const g = guard();
    const compute = answerer();
    g.answer('u', range(1, 1_000), compute);
    expect(g.answer('u', range(21, 1_000), compute).display).toBe('answer 2');
    g.dispose();
  });

  it('answers anew for a set of the same size that differs in its members', () => {
    const g = guard();
    const compute = answerer();
    g.answer('u', range(1, 1_000), compute);
    // Same size, symmetric difference 2 × 10 = 20: not close.
    expect(g.answer('u', range(11, 1_010), compute).display).toBe('answer 2');
    // Same size, symmetric difference 2 × 9 = 18: close to the first.
    expect(g.answer('u', range(10, 1_009), compute).display).toBe('answer 1');
    g.dispose();
  });

  it('finds a close set behind many remembered sets of other sizes', () => {
    const g = guard();
    const compute = answerer();
    g.answer('u', range(1, 50_000), compute);
    for (let k = 1; k <= 150; k += 1) g.answer('u', range(1, 50_000 + 100 * k), compute);
    expect(g.answer('u', range(5, 50_000), compute).display).toBe('answer 1');
    // Another caller has no memory of these.
    expect(g.answer('v', range(5, 50_000), compute).display).toBe('answer 152');
    g.dispose();
  });
});
