import { createHmac } from 'node:crypto';
import { and, asc, eq, gt, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { serverSecret } from '../secrets/server-secrets.js';
import { beaconPublicQueries } from './beacon.tables.js';

/** Limits on public-tier queries, per client (address). */
export interface PublicTierLimits {
  /** Queries per client per minute (refused ones count too). */
  perMinute: number;
  /** Answered queries per client per rolling 24 hours. */
  perDay: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;
const CLIENT_KEY = 'beacon-client-key';
const MAX_CRITERIA_DIGESTS = 20;
// A row is sealed once its minute is this far behind: a query that started just before the
// minute turned still lands in its row before the row goes into the audit trail.
const SEAL_GRACE_MS = 2 * MINUTE_MS;
const SEAL_BATCH = 500;

/** The minute `at` falls in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * The client as the tally knows it: HMAC-SHA256 of its address under a server secret, so rate
 * limits and audit events can tell clients apart without storing an address.
 */
export async function publicClientKey(tx: Tx, address: string): Promise<string> {
  const key = await serverSecret(tx, CLIENT_KEY);
  return createHmac('sha256', Buffer.from(key, 'hex')).update(address).digest('hex').slice(0, 32);
}

/**
 * Counts one public query of `client` in its minute (atomically: concurrent queries get distinct
 * numbers) and decides whether it may be answered. A refused query is recorded as refused;
 * the caller commits either way. Answers null to go ahead, or the seconds to wait.
 */
export async function tallyPublicQuery(
  tx: Tx,
  client: string,
  criteriaDigest: string,
  limits: PublicTierLimits,
  now = new Date(),
): Promise<number | null> {
  const minute = minuteOf(now);
  const digest = JSON.stringify([criteriaDigest]);
  const t = beaconPublicQueries;
  const [row] = await tx
    .insert(t)
    .values({ client, minute, queries: 1, criteria: sql`${digest}::jsonb` })
    .onConflictDoUpdate({
      target: [t.client, t.minute],
      set: {
        queries: sql`${t.queries} + 1`,
        criteria: sql`case when jsonb_array_length(${t.criteria}) >= ${MAX_CRITERIA_DIGESTS}
          or ${t.criteria} @> ${digest}::jsonb then ${t.criteria}
          else ${t.criteria} || ${digest}::jsonb end`,
      },
    })
    .returning({ queries: t.queries });
  let wait: number | null = null;
  if (row!.queries > limits.perMinute) {
    wait = Math.ceil((minute.getTime() + MINUTE_MS - now.getTime()) / 1000);
  } else {
    const [day] = await tx
      .select({ answered: sql<number>`coalesce(sum(${t.queries} - ${t.refused}), 0)::int` })
      .from(t)
      .where(and(eq(t.client, client), gt(t.minute, new Date(now.getTime() - DAY_MS))));
    if (Number(day!.answered) > limits.perDay) wait = 3600;
  }
  if (wait !== null)
    await tx
      .update(t)
      .set({ refused: sql`${t.refused} + 1` })
      .where(and(eq(t.client, client), eq(t.minute, minute)));
  return wait;
}

/** Records that a public query of `client` was answered `exists: true`. */
export async function tallyPublicHit(tx: Tx, client: string, now = new Date()): Promise<void> {
  const t = beaconPublicQueries;
  await tx
    .update(t)
    .set({ hits: sql`${t.hits} + 1` })
    .where(and(eq(t.client, client), eq(t.minute, minuteOf(now))));
}

/**
 * Seals finished minutes into the audit trail: one `beacon.query.public` event per client and
 * minute (queries, refused, hits, the criteria digests), appended through the one audit path so
 * the hash chain stays whole. Rows are claimed with SKIP LOCKED, so several instances never seal
 * one twice. `all` also seals the current minute (at shutdown). Rows older than two days are
 * dropped once sealed (the daily cap looks back one). Answers how many events were written.
 */
export async function sealPublicTallies(
  db: Database,
  options: { now?: Date; all?: boolean } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const before = options.all
    ? new Date(now.getTime() + MINUTE_MS)
    : new Date(now.getTime() - SEAL_GRACE_MS);
  const t = beaconPublicQueries;
  let sealed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(t)
        .where(and(isNull(t.auditedAt), lt(t.minute, before)))
        .orderBy(asc(t.minute), asc(t.client))
        .limit(SEAL_BATCH)
        .for('update', { skipLocked: true });
      if (!rows.length) return 0;
      await appendAuditEvents(
        tx,
        null,
        rows.map((r) => ({
          action: 'beacon.query.public',
          targetType: 'beacon',
          payload: {
            client: r.client,
            minute: r.minute.toISOString(),
            queries: r.queries,
            refused: r.refused,
            hits: r.hits,
            criteriaDigests: r.criteria as string[],
          },
        })),
      );
      for (const r of rows)
        await tx
          .update(t)
          .set({ auditedAt: now })
          .where(and(eq(t.client, r.client), eq(t.minute, r.minute)));
      return rows.length;
    });
    sealed += n;
    if (n < SEAL_BATCH) break;
  }
  await db
    .delete(t)
    .where(and(isNotNull(t.auditedAt), lt(t.minute, new Date(now.getTime() - 2 * DAY_MS))));
  return sealed;
}

/**
 * Seals the public tally every minute until stopped; `stop()` seals what is left, the current
 * minute included. Errors are logged by id only and retried at the next tick.
 */
export function startPublicTallySealer(
  db: Database,
  onError: (error: unknown) => void,
  intervalMs = MINUTE_MS,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => sealPublicTallies(db)).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await sealPublicTallies(db, { all: true }).catch(onError);
    },
  };
}
