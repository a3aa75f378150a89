import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { queryRows } from '../../db/query-rows.js';
import type { Actor } from '../actors/actor.js';
import { assertCanReadAudit } from '../audit/audit.policy.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  RANGE_ORDER_ISSUE,
  auditConditionsShape,
  rangeInOrder,
  recordedFilter,
  resolveAuditConditions,
} from './audit-filter.js';

/** Bucket widths the chart offers, in seconds. */
export const BUCKET_SECONDS = { HOUR: 3_600, DAY: 86_400 } as const;

/** A bucket width. */
export type AuditBucket = keyof typeof BUCKET_SECONDS;

/** How far back a chart reaches when the filter names no start: two days of hours, 30 days. */
const DEFAULT_SPAN_BUCKETS: Record<AuditBucket, number> = { HOUR: 48, DAY: 30 };

/** More buckets than this is not a chart anyone can read; it is refused rather than truncated. */
export const MAX_BUCKETS = 1_000;

/** One bucket of the chart: its start (UTC) and its events counted per action group. */
export interface ActivityBucket {
  start: Date;
  total: number;
  counts: { group: string; count: number }[];
}

/** Events over time for one filter. */
export interface AuditActivity {
  bucket: AuditBucket;
  from: Date;
  to: Date;
  /** Every action group that occurs, most frequent first (a stable order for legends). */
  groups: string[];
  /** Every bucket of the range in order, empty ones included, so gaps show as gaps. */
  buckets: ActivityBucket[];
  total: number;
}

const ActivityInput = z
  .object({ ...auditConditionsShape, bucket: z.enum(['HOUR', 'DAY']).default('DAY') })
  .refine(rangeInOrder, RANGE_ORDER_ISSUE);

/**
 * Counts the events matching a filter per hour or per UTC day and per action group, for the
 * explorer's chart. The database does the counting; empty buckets are filled in here. The read
 * is audited like a list read.
 */
export async function auditActivity(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<AuditActivity> {
  assertCanReadAudit(actor);
  const f = parseInput(ActivityInput, input ?? {});
  const size = BUCKET_SECONDS[f.bucket];
  const to = f.to ?? new Date();
  const from = f.from ?? new Date(to.getTime() - DEFAULT_SPAN_BUCKETS[f.bucket] * size * 1000);
  const first = Math.floor(from.getTime() / 1000 / size);
  const last = Math.floor(to.getTime() / 1000 / size);
  if (last - first + 1 > MAX_BUCKETS)
    throw new ValidationError(
      `Invalid input: from: the range needs more than ${MAX_BUCKETS} buckets; choose days or a shorter range`,
      [
        {
          field: 'from',
          message: `the range needs more than ${MAX_BUCKETS} ${f.bucket === 'HOUR' ? 'hours' : 'days'}`,
        },
      ],
    );
  const { where, participantId } = await resolveAuditConditions(tx, { ...f, from, to });
  // Bucket numbers from the epoch: no time-zone settings involved, days are UTC days.
  const rows = await queryRows<{ bucket: number; grp: string; n: number }>(
    tx,
    sql`select floor(extract(epoch from occurred_at) / ${size})::int as bucket,
          split_part(action, '.', 1) as grp, count(*)::int as n
        from audit_events ${where ? sql`where ${where}` : sql``}
        group by 1, 2`,
  );
  const byBucket = new Map<number, Map<string, number>>();
  const groupTotals = new Map<string, number>();
  for (const r of rows) {
    const counts = byBucket.get(r.bucket) ?? new Map<string, number>();
    counts.set(r.grp, r.n);
    byBucket.set(r.bucket, counts);
    groupTotals.set(r.grp, (groupTotals.get(r.grp) ?? 0) + r.n);
  }
  const groups = [...groupTotals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([g]) => g);
  const buckets: ActivityBucket[] = [];
  for (let b = first; b <= last; b += 1) {
    const counts = byBucket.get(b);
    const list = groups
      .filter((g) => counts?.has(g))
      .map((g) => ({ group: g, count: counts!.get(g)! }));
    buckets.push({
      start: new Date(b * size * 1000),
      total: list.reduce((n, c) => n + c.count, 0),
      counts: list,
    });
  }
  const total = buckets.reduce((n, b) => n + b.total, 0);
  await appendAuditEvent(tx, actor, {
    action: 'audit.activity',
    participantId: participantId ?? undefined,
    payload: { filter: recordedFilter({ ...f, from, to }, participantId), bucket: f.bucket, total },
  });
  return { bucket: f.bucket, from, to, groups, buckets, total };
}
