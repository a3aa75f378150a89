import { eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { attemptThrottles } from './accounts.tables.js';

/**
 * How a key is slowed down: `freeFailures` attempts in a row cost nothing; from then on each
 * further attempt must wait `baseDelayMs × 2^(failures − freeFailures)`, capped at `maxDelayMs`.
 * A key whose last attempt is older than `windowMs` starts again from zero. There is no fixed
 * lock-out: a key is only ever made to wait, and only for its own attempts.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const PRUNE_PROBABILITY = 0.01;

/**
 * Charges one attempt to `key` before the secret behind it is checked, in one statement: the
 * upsert takes the row lock, so concurrent attempts are counted one after the other and those
 * beyond the allowance find the key blocked. Throws RateLimitedError while the key must wait.
 * The caller clears or refunds the charge when the attempt turns out to be good.
 */
export async function chargeAttempt(
  db: Queryable,
  key: string,
  policy: ThrottlePolicy,
): Promise<void> {
  const window = sql`(${policy.windowMs}::double precision * interval '1 millisecond')`;
  const failures = sql`(case when t.last_attempt_at < now() - ${window} then 1 else t.failures + 1 end)`;
  const blockAfter = (count: SQL) =>
    sql`(case when ${count} >= ${policy.freeFailures}
      then now() + least(
        ${policy.baseDelayMs}::double precision * power(2::double precision, (${count} - ${policy.freeFailures})::double precision),
        ${policy.maxDelayMs}::double precision
      ) * interval '1 millisecond'
      else null end)`;
  const charged = await queryRows<{ failures: number }>(
    db,
    sql`insert into attempt_throttles as t (key, failures, last_attempt_at, blocked_until)
      values (${key}, 1, now(), ${blockAfter(sql`1`)})
      on conflict (key) do update set
        failures = ${failures},
        last_attempt_at = now(),
        blocked_until = ${blockAfter(failures)}
      where t.blocked_until is null or t.blocked_until <= now()
      returning failures`,
  );
  if (charged.length > 0) {
    // Made-up e-mails and passing addresses leave one row each: now and then, forget the keys
    // that have been quiet for a day and are not waiting.
    if (Math.random() < PRUNE_PROBABILITY)
      await db.execute(
        sql`delete from attempt_throttles where last_attempt_at < now() - interval '1 day'
          and (blocked_until is null or blocked_until < now())`,
      );
    return;
  }
  const [row] = await queryRows<{ wait_ms: number | string | null }>(
    db,
    sql`select greatest(extract(epoch from (blocked_until - now())) * 1000, 0) as wait_ms
      from attempt_throttles where key = ${key}`,
  );
  throw new RateLimitedError(Math.max(1, Number(row?.wait_ms ?? policy.baseDelayMs) / 1000));
}

/** Forgets a key's failures (a good password for that account). */
export async function clearAttempts(db: Queryable, key: string): Promise<void> {
  await db.delete(attemptThrottles).where(eq(attemptThrottles.key, key));
}

/**
 * Gives back the charge of one attempt that turned out good, so a shared address where people
 * sign in successfully is never slowed by its own successes.
 */
export async function refundAttempt(
  db: Queryable,
  key: string,
  policy: ThrottlePolicy,
): Promise<void> {
  await db.execute(
    sql`update attempt_throttles set
        failures = greatest(failures - 1, 0),
        blocked_until = case when failures - 1 < ${policy.freeFailures} then null else blocked_until end
      where key = ${key}`,
  );
}
