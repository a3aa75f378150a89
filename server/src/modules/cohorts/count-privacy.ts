import { createHmac } from 'node:crypto';

/** How counts are protected before anyone sees them. */
export interface CountPrivacyPolicy {
  /** Counts from 1 to minCellCount − 1 are shown as "<minCellCount" (All of Us uses 20). */
  minCellCount: number;
  /** Noise added to counts at or above the threshold lies in [−noiseRange, +noiseRange]. */
  noiseRange: number;
}

export const DEFAULT_COUNT_PRIVACY: CountPrivacyPolicy = { minCellCount: 20, noiseRange: 3 };

/** A count as shown: the number (null when suppressed) and its display text. */
export interface ProtectedCount {
  count: number | null;
  display: string;
}

/**
 * Noise in [−range, +range] that depends only on (key, user, exact participant set): roughly
 * bell-shaped (a sum of fair ±1 steps), and the same every time the same user asks about the
 * same set, however the query is worded. Asking again cannot average it away.
 */
export function deterministicNoise(
  key: string,
  userId: string,
  setDigest: string,
  range: number,
): number {
  const mac = createHmac('sha256', Buffer.from(key, 'hex'))
    .update(`${userId}\n${setDigest}`)
    .digest();
  let noise = 0;
  for (let i = 0; i < range * 2; i += 1) noise += (mac[i]! & 1) === 1 ? 0.5 : -0.5;
  return Math.round(noise);
}

/**
 * Applies the policy to a true count: 0 stays 0 (as All of Us shows it), 1..min−1 is suppressed,
 * larger counts get deterministic noise and never drop below the threshold (which would reveal
 * that the true count is near it).
 */
export function protectCount(
  trueCount: number,
  noise: number,
  policy: CountPrivacyPolicy = DEFAULT_COUNT_PRIVACY,
): ProtectedCount {
  if (trueCount === 0) return { count: 0, display: '0' };
  if (trueCount < policy.minCellCount) return { count: null, display: `<${policy.minCellCount}` };
  const shown = Math.max(policy.minCellCount, trueCount + noise);
  return { count: shown, display: String(shown) };
}
