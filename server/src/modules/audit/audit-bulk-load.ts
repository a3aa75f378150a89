import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import type { Actor } from '../actors/actor.js';
import { GENESIS_HASH } from './audit-hash.js';
import { chainAuditRows, type AuditEntry, type AuditRow } from './audit.service.js';

/**
 * For benchmarks only: loads millions of audit events fast, the same chain the service would
 * write for the same entries (its rows come from the service's own `chainAuditRows`), COPYed in
 * instead of inserted a thousand at a time (10M events through the service take ≈ 16 minutes).
 * It must not run beside live appends: it takes the head once and holds no append lock.
 */
export interface BulkLoadOptions {
  /** How many events to add after the current head. */
  events: number;
  /** The i-th new event (0-based). */
  entry(i: number): AuditEntry;
  actor: Actor | null;
  /** Events a call of the service would append together (one `occurredAt` each). */
  perCall?: number;
  /** The time of the call that appends event i (default: now, per call). */
  occurredAt?(i: number): Date;
  /** Events per COPY (one transaction each). */
  perCopy?: number;
  onProgress?(done: number): void;
}

// COPY text format: a backslash, a tab and line breaks must be escaped; NULL is \N.
const field = (value: string | null): string =>
  value === null
    ? '\\N'
    : /[\\\t\n\r]/.test(value)
      ? value.replace(
          /[\\\t\n\r]/g,
          (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
        )
      : value;

function copyLine(row: AuditRow): string {
  return (
    [
      String(row.seq),
      row.occurredAt.toISOString(),
      row.actorId ?? null,
      row.actorRole,
      row.action,
      row.targetType ?? null,
      row.targetId ?? null,
      row.participantId ?? null,
      row.payload,
      row.prevHash,
      row.hash,
    ]
      .map(field)
      .join('\t') + '\n'
  );
}

const COLUMNS =
  'audit_events (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, participant_id, payload, prev_hash, hash)';

type RawClient =
  | { unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> } }
  | { query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };

async function copyIn(tx: Tx, text: string): Promise<void> {
  // drizzle keeps the driver's transaction client on the session, for both drivers.
  const client = (tx as unknown as { session: { client: RawClient } }).session.client;
  if ('unsafe' in client) {
    const stream = await client.unsafe(`copy ${COLUMNS} from stdin`).writable();
    stream.end(text);
    await finished(stream);
  } else {
    await client.query(`copy ${COLUMNS} from '/dev/blob'`, [], { blob: new Blob([text]) });
  }
}

/** Appends `events` chained events after the log's head with COPY; answers the new head. */
export async function bulkLoadAuditEvents(
  db: Database,
  options: BulkLoadOptions,
): Promise<{ seq: number; hash: string }> {
  const perCall = options.perCall ?? 1_000;
  const perCopy = options.perCopy ?? 100_000;
  const [last] = await queryRows<{ seq: number | string; hash: string }>(
    db,
    sql`select seq, hash from audit_events order by seq desc limit 1`,
  );
  let head = { seq: Number(last?.seq ?? 0), hash: last?.hash ?? GENESIS_HASH };
  for (let done = 0; done < options.events;) {
    const lines: string[] = [];
    const end = Math.min(options.events, done + perCopy);
    for (; done < end; done = Math.min(end, done + perCall)) {
      const entries: AuditEntry[] = [];
      for (let i = done; i < Math.min(end, done + perCall); i += 1) entries.push(options.entry(i));
      const rows = chainAuditRows(
        head,
        options.actor,
        entries,
        options.occurredAt?.(done) ?? new Date(),
      );
      for (const row of rows) lines.push(copyLine(row));
      const newest = rows[rows.length - 1]!;
      head = { seq: newest.seq, hash: newest.hash };
    }
    await db.transaction((tx) => copyIn(tx, lines.join('')));
    options.onProgress?.(done);
  }
  return head;
}
