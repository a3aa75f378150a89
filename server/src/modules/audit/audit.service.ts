import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import type { Actor } from '../actors/actor.js';
import type { AuditAction, KnownAuditAction } from './audit-actions.js';
import { auditEvents } from './audit.tables.js';
import { GENESIS_HASH, canonicalEventAroundSeq, canonicalJson, eventHash } from './audit-hash.js';

/** What a service says happened; the audit module adds sequence, time and hashes. */
export interface AuditEntry {
  /**
   * Dotted verb, domain first: `user.create`, `participant.read`, `auth.login_failed`. Registered
   * with its plain wording in audit-actions.ts.
   */
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** Set when the event concerns one participant's data, so they can see it in their timeline. */
  participantId?: string;
  /** Identifiers and facts only: never names, e-mails, codes or free text. */
  payload?: Record<string, unknown>;
}

/**
 * Events written by someone acting for a participant name both: the actor is the representative
 * or the coordinator, `participantId` the participant, and the payload says in which capacity
 * (with the paper form's facts for a staff recording), so the timeline can say who did it.
 */
function withOnBehalf(actor: Actor | null, payload: Record<string, unknown>) {
  if (actor?.kind !== 'user' || !actor.actingFor) return payload;
  const { participantId: _participant, ...capacity } = actor.actingFor;
  return { ...payload, onBehalf: capacity };
}

// Serialises appends so the chain has no forks; a transaction-scoped lock is released at commit.
const AUDIT_LOCK_KEY = 7_270_001;

/**
 * Appends one event to the hash-chained log inside the caller's transaction, so the event
 * commits or rolls back together with the change it records.
 */
export async function appendAuditEvent(
  tx: Tx,
  actor: Actor | null,
  entry: AuditEntry,
): Promise<{ seq: number; hash: string }> {
  const event = auditRow(actor, entry, new Date());
  const [before, after] = canonicalEventAroundSeq(event);
  // Lock, read the head, hash and insert in one round trip (migration 0038): every audited
  // request pays for it (issue #19).
  const [row] = await queryRows<{ seq: number | string; prev_hash: string; hash: string }>(
    tx,
    sql`select seq, prev_hash, hash from audit_append_one(
          ${AUDIT_LOCK_KEY}, ${GENESIS_HASH}, ${event.occurredAt.toISOString()}::timestamptz,
          ${event.actorId}::uuid, ${event.actorRole}, ${event.action}, ${event.targetType},
          ${event.targetId}, ${event.participantId}::uuid, ${event.payload}, ${before}, ${after})`,
  );
  if (!row) throw new Error('audit_append_one answered no row');
  const seq = Number(row.seq);
  // The database hashed the text this process built; the chain's own definition must agree, or
  // the event is refused (and the transaction with it) rather than stored unverifiable.
  if (eventHash(row.prev_hash, { ...event, seq }) !== row.hash)
    throw new Error(`audit event ${seq}: the database's hash differs from the chain's definition`);
  return { seq, hash: row.hash };
}

/**
 * Appends an event about one participant as a whole (their record, consent, keys or timeline):
 * the participant is both its target and the one whose timeline shows it. The action must be a
 * registered one, so a misspelt or test-only action at these call sites does not compile.
 */
export function appendParticipantEvent(
  tx: Tx,
  actor: Actor | null,
  action: KnownAuditAction,
  participantId: string,
  payload?: Record<string, unknown>,
): Promise<{ seq: number; hash: string }> {
  return appendAuditEvent(tx, actor, {
    action,
    targetType: 'participant',
    targetId: participantId,
    participantId,
    payload,
  });
}

/** An event's stored fields other than its sequence number and hashes. */
function auditRow(actor: Actor | null, entry: AuditEntry, occurredAt: Date) {
  return {
    occurredAt,
    actorId: actor?.kind === 'user' ? actor.userId : null,
    actorRole: actor === null ? 'anonymous' : actor.kind === 'user' ? actor.role : 'system',
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    participantId: entry.participantId ?? null,
    payload: canonicalJson(withOnBehalf(actor, entry.payload ?? {})),
  };
}

/**
 * Appends events in order under one lock and a few multi-row inserts (each hash covers the
 * previous), for work that touches many participants at once (a submission asking a cohort, an
 * export including it); answers the last event's sequence and hash. With no entries it only
 * reads the head.
 */
export async function appendAuditEvents(
  tx: Tx,
  actor: Actor | null,
  entries: readonly AuditEntry[],
): Promise<{ seq: number; hash: string }> {
  // Lock, then read the head with a fresh snapshot, in one round trip (migration 0017).
  const [last] = await queryRows<{ seq: number | string; hash: string }>(
    tx,
    sql`select seq, hash from audit_head_locked(${AUDIT_LOCK_KEY})`,
  );
  const head = { seq: Number(last?.seq ?? 0), hash: last?.hash ?? GENESIS_HASH };
  const rows = chainAuditRows(head, actor, entries, new Date());
  // 11 columns a row: 1,000 rows stay far below PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < rows.length; i += 1_000)
    await tx.insert(auditEvents).values(rows.slice(i, i + 1_000));
  const newest = rows[rows.length - 1];
  return newest ? { seq: newest.seq, hash: newest.hash } : head;
}

/** An audit_events row as the service writes it. */
export type AuditRow = typeof auditEvents.$inferInsert & { seq: number; hash: string };

/**
 * The rows that continue the chain after `head` with `entries`, all at `occurredAt`: each hash
 * covers the previous. The one definition of what an append writes, shared by the service and
 * the benchmarks' bulk loader (audit-bulk-load.ts), so both write the same chain.
 */
export function chainAuditRows(
  head: { seq: number; hash: string },
  actor: Actor | null,
  entries: readonly AuditEntry[],
  occurredAt: Date,
): AuditRow[] {
  let seq = head.seq;
  let prevHash = head.hash;
  return entries.map((entry) => {
    seq += 1;
    const event = { seq, ...auditRow(actor, entry, occurredAt) };
    const hash = eventHash(prevHash, event);
    const row = { ...event, prevHash, hash };
    prevHash = hash;
    return row;
  });
}
