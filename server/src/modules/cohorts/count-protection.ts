import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query-rows.js';
import type { Tx } from '../../db/database.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { cohortChanges } from '../cohort-changes/cohort-changes.tables.js';
import { countQueries } from './cohorts.tables.js';
import {
  deterministicNoise,
  protectCount,
  type CountPrivacyPolicy,
  type ProtectedCount,
} from './count-privacy.js';
import type { DifferencingGuard } from './differencing-guard.js';
import type { RoaringBitmap32 } from './roaring.js';
import { readServerSecret, serverSecret } from '../secrets/server-secrets.js';

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
  return (await spendCountBudgetReadingChangeLog(tx, userId, budgetPerDay)).remaining;
}

/**
 * `spendCountBudget`, answering as well the cohort change log's highest sequence number as this
 * statement saw it (0 when empty): a count checks its index against it instead of asking the
 * log in a round trip of its own before the transaction (`CohortEngine.isCurrentWith`).
 */
export async function spendCountBudgetReadingChangeLog(
  tx: Tx,
  userId: string,
  budgetPerDay: number,
): Promise<{ remaining: number; latestChangeSeq: number }> {
  // One statement, not a count and then an insert: the request's round trips are its cost
  // (issue #19). The window is the database's clock, like the rows' own `at`.
  const [row] = await queryRows<{ used: number; spent: number; latest: number | string }>(
    tx,
    sql`with used as (
          select count(*)::int as n from ${countQueries}
          where ${countQueries.userId} = ${userId} and ${countQueries.at} > now() - interval '1 day'
        ), spent as (
          insert into ${countQueries} (user_id) select ${userId}
          where (select n from used) < ${budgetPerDay} returning 1
        )
        select (select n from used) as used, (select count(*) from spent)::int as spent,
          (select coalesce(max(${cohortChanges.seq}), 0) from ${cohortChanges}) as latest`,
  );
  const used = row?.used ?? 0;
  if (!row?.spent) throw new RateLimitedError(DAY_MS / 1000);
  return {
    remaining: Math.max(0, budgetPerDay - used - 1),
    latestChangeSeq: Number(row.latest),
  };
}

/** The server secret that keys count noise (created on first use; it never changes after). */
export function countNoiseKey(tx: Tx): Promise<string> {
  return serverSecret(tx, NOISE_KEY);
}

/** The noise key if it was already stored (committed before this transaction), else undefined. */
export function storedCountNoiseKey(tx: Tx): Promise<string | undefined> {
  return readServerSecret(tx, NOISE_KEY);
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
  noiseKey?: string,
): Promise<(set: RoaringBitmap32) => ProtectedCount> {
  const key = noiseKey ?? (await countNoiseKey(tx));
  return (set) =>
    guard.answer(userKey, set, () =>
      protectCount(
        set.size,
        deterministicNoise(key, userKey, participantSetDigest(set), settings.noiseRange),
        settings,
      ),
    );
}
