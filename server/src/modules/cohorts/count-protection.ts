import { createHash } from 'node:crypto';
import { and, count, eq, gt } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { countQueries } from './cohorts.tables.js';
import {
  deterministicNoise,
  protectCount,
  type CountPrivacyPolicy,
  type ProtectedCount,
} from './count-privacy.js';
import type { DifferencingGuard } from './differencing-guard.js';
import type { RoaringBitmap32 } from './roaring.js';
import { serverSecret } from '../secrets/server-secrets.js';

// One key, set digest and guard for every door counts are asked through (cohortCount, Beacon):
// a set gets the same noisy figure either way, so switching doors cannot average noise away.
const NOISE_KEY = 'count-noise-key';
const DAY_MS = 24 * 3600_000;

/**
 * Digest of a participant set: the run-optimised portable serialisation is canonical for a given
 * set of numbers.
 */
export function participantSetDigest(set: RoaringBitmap32): string {
  set.optimize();
  return createHash('sha256').update(set.serialize('portable')).digest('hex');
}

/**
 * Records one count query against the user's rolling 24-hour budget (`count_queries`, shared by
 * every door), or throws RateLimitedError when it is spent. Returns what is left.
 */
export async function spendCountBudget(
  tx: Tx,
  userId: string,
  budgetPerDay: number,
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(countQueries)
    .where(
      and(eq(countQueries.userId, userId), gt(countQueries.at, new Date(Date.now() - DAY_MS))),
    );
  const used = row?.n ?? 0;
  if (used >= budgetPerDay) throw new RateLimitedError(DAY_MS / 1000);
  await tx.insert(countQueries).values({ userId });
  return Math.max(0, budgetPerDay - used - 1);
}

/**
 * A function that protects the size of a participant set for `userKey`: small-cell suppression,
 * deterministic per-set noise keyed by the server secret, and the differencing guard's earlier
 * answer for a nearby set the same caller saw through any door.
 */
export async function countProtector(
  tx: Tx,
  guard: DifferencingGuard,
  settings: CountPrivacyPolicy,
  userKey: string,
): Promise<(set: RoaringBitmap32) => ProtectedCount> {
  const key = await serverSecret(tx, NOISE_KEY);
  return (set) =>
    guard.answer(userKey, set, () =>
      protectCount(
        set.size,
        deterministicNoise(key, userKey, participantSetDigest(set), settings.noiseRange),
        settings,
      ),
    );
}
