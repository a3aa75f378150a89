import { and, desc, eq, gte, inArray, isNull, lt, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Locale } from '../../lib/locales.js';
import { languageOf } from '../accounts/user-language.service.js';
import type { Actor } from '../actors/actor.js';
import { auditBatches, chainOutbox, chainReceipts } from '../chain/chain.tables.js';
import { CHUNK, MerkleTree, chunkedInclusionProof, type ProofStep } from '../chain/merkle.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import {
  AUDIT_ACTION_WORDING,
  auditActionWording,
  type ActionKind,
  type KnownAuditAction,
} from '../audit/audit-actions.js';
import { canonicalEvent } from '../audit/audit-hash.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { clinicianWording } from './clinician-wording.js';
import { onBehalfWording } from './on-behalf-wording.js';

/** Where an event is anchored, and how to prove it. */
export interface EventProof {
  batch: number;
  merkleRoot: string;
  /** RFC 6962 audit path from the event's hash to the batch root. */
  steps: ProofStep[];
  /** The chain transaction that anchored the batch, once it has. */
  txHash: string | null;
  height: number | null;
  blockTime: string | null;
}

/** One event that touched the participant's data, with what a verifier needs. */
export interface TimelineEvent {
  seq: number;
  occurredAt: Date;
  action: string;
  /** The action in the participant's words (audit-actions.ts). */
  sentence: string;
  /** `use`: someone else did it; `own`: the participant did. */
  kind: ActionKind;
  actorRole: string;
  /**
   * Who acted for the participant, when someone did: "by your representative <name>",
   * "recorded by <institution> (staff) on <date>, witnessed"; the clinician who read or added
   * to the record, "by <name> (<institution>)[, for the care team <team>]". Null otherwise.
   */
  recordedBy: string | null;
  hash: string;
  prevHash: string;
  /** The exact text hashed with prevHash: recompute the hash from it. */
  canonical: string;
  /** Null until the event's batch is sealed. */
  proof: EventProof | null;
}

const TimelineInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  beforeSeq: z.number().int().positive().nullish(),
  /** Only uses by others, or only the participant's own activity; both when unset. */
  kind: z.enum(['use', 'own']).nullish(),
});

/** What the participant came to see, at a glance. */
export interface TimelineSummary {
  /** Studies that asked for the participant's consent. */
  studiesAsked: number;
  /** Studies whose exports included the participant's data. */
  studiesUsed: number;
  /** Events done by someone else. */
  usesByOthers: number;
  /** Events the participant did themself. */
  ownActivity: number;
  /** The latest event done by someone else. */
  lastUseAt: Date | null;
}

type AuditRow = typeof auditEvents.$inferSelect;

/**
 * How the participant sees one event: in the registry's words, in their language; done by them
 * when they are the actor, by someone else when another account is, and as registered for the
 * system's own work.
 */
export function describeForParticipant(
  row: Pick<AuditRow, 'action' | 'actorId'>,
  selfUserId: string | null,
  locale: Locale = 'en',
): { sentence: string; kind: ActionKind } {
  const words = auditActionWording(row.action, locale);
  const sentence =
    words?.sentence ??
    (locale === 'es' ? `Registrado como “${row.action}”` : `Recorded as “${row.action}”`);
  if (row.actorId && selfUserId)
    return { sentence, kind: row.actorId === selfUserId ? 'own' : 'use' };
  return { sentence, kind: words?.kind ?? 'use' };
}

const OWN_ACTIONS = (Object.keys(AUDIT_ACTION_WORDING) as KnownAuditAction[]).filter(
  (a) => AUDIT_ACTION_WORDING[a].kind === 'own',
);

/** The SQL form of describeForParticipant's kind, for filtering and counting. */
function kindIs(kind: ActionKind, selfUserId: string) {
  const systemOwn = and(isNull(auditEvents.actorId), inArray(auditEvents.action, OWN_ACTIONS));
  if (kind === 'own') return or(eq(auditEvents.actorId, selfUserId), systemOwn);
  return or(
    ne(auditEvents.actorId, selfUserId),
    and(isNull(auditEvents.actorId), notInArray(auditEvents.action, OWN_ACTIONS)),
  );
}

/** No account has this id: a participant without an account (a represented child) did nothing. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

async function me(tx: Tx, actor: Actor | null) {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  return { participant, userId: participant.userId ?? NO_ACCOUNT };
}

/**
 * A participant's summary, over all time or since `since`: studies that asked, studies that used
 * their data, uses by others and their own activity. Reads only; the caller audits.
 */
export async function timelineSummaryOf(
  tx: Tx,
  participantId: string,
  userId: string,
  since?: Date,
): Promise<TimelineSummary> {
  const mine = since
    ? and(eq(auditEvents.participantId, participantId), gte(auditEvents.occurredAt, since))!
    : eq(auditEvents.participantId, participantId);
  const [studies] = await tx
    .select({
      asked: sql<number>`count(distinct ${auditEvents.targetId}) filter (where ${auditEvents.action} = 'consent_request.create')`,
      used: sql<number>`count(distinct ${auditEvents.targetId}) filter (where ${auditEvents.action} = 'export.include')`,
    })
    .from(auditEvents)
    .where(mine);
  const [uses] = await tx
    .select({
      n: sql<number>`count(*)`,
      last: sql<string | null>`max(${auditEvents.occurredAt})`,
    })
    .from(auditEvents)
    .where(and(mine, kindIs('use', userId)));
  const [own] = await tx
    .select({ n: sql<number>`count(*)` })
    .from(auditEvents)
    .where(and(mine, kindIs('own', userId)));
  return {
    studiesAsked: Number(studies?.asked ?? 0),
    studiesUsed: Number(studies?.used ?? 0),
    usesByOthers: Number(uses?.n ?? 0),
    ownActivity: Number(own?.n ?? 0),
    lastUseAt: uses?.last ? new Date(uses.last) : null,
  };
}

/**
 * The signed-in participant's summary: how many studies asked, how many used their data, how
 * many events were uses by others and when the last one was. Audited as a read of their trail.
 */
export async function participantTimelineSummary(
  tx: Tx,
  actor: Actor | null,
): Promise<TimelineSummary> {
  const { participant, userId } = await me(tx, actor);
  const summary = await timelineSummaryOf(tx, participant.id, userId);
  await appendParticipantEvent(tx, actor, 'audit.read', participant.id, {
    own: true,
    summary: true,
  });
  return summary;
}

/**
 * Every audit event about the signed-in participant's data (or only the uses by others, or only
 * their own activity), newest first, each in plain words with its hash,
 * the canonical text it was computed from, and (once anchored) the Merkle inclusion proof and the
 * chain receipt of its batch, so the participant can check it against the chain themselves.
 */
export async function participantTimeline(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<TimelineEvent[]> {
  const { participant, userId } = await me(tx, actor);
  const { limit, beforeSeq, kind } = parseInput(TimelineInput, input ?? {});
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.participantId, participant.id),
        beforeSeq ? lt(auditEvents.seq, beforeSeq) : undefined,
        kind ? kindIs(kind, userId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  const timeline = await withProofs(tx, rows, userId, await languageOf(tx, userId));
  await appendParticipantEvent(tx, actor, 'audit.read', participant.id, {
    own: true,
    returned: timeline.length,
  });
  return timeline;
}

/**
 * Audit rows with what a verifier needs: the canonical text, and once sealed the RFC 6962
 * inclusion proof in their batch plus the chain receipt that anchored the batch. Sentences are in
 * `locale`, the participant's language.
 */
export async function withProofs(
  tx: Tx,
  rows: AuditRow[],
  selfUserId: string | null,
  locale: Locale = 'en',
): Promise<TimelineEvent[]> {
  const proofs = await batchProofs(tx, rows);
  const recordedBy = new Map([
    ...(await clinicianWording(tx, rows)),
    ...(await onBehalfWording(tx, rows)),
  ]);
  return rows.map((row) => ({
    seq: row.seq,
    occurredAt: row.occurredAt,
    action: row.action,
    ...describeForParticipant(row, selfUserId, locale),
    actorRole: row.actorRole,
    recordedBy: recordedBy.get(row.seq) ?? null,
    hash: row.hash,
    prevHash: row.prevHash,
    canonical: canonicalEvent(row),
    proof: proofs.get(row.seq) ?? null,
  }));
}

/**
 * The inclusion proof of each sealed row, by sequence number. Per page, not per row: one query
 * finds the batches the rows fall in, and each batch is read, built into one Merkle tree and
 * looked up on chain once, however many of the rows it holds.
 */
async function batchProofs(tx: Tx, rows: AuditRow[]): Promise<Map<number, EventProof>> {
  const proofs = new Map<number, EventProof>();
  if (rows.length === 0) return proofs;
  const seqs = rows.map((r) => r.seq);
  const batches = await tx
    .select()
    .from(auditBatches)
    .where(
      and(
        lte(auditBatches.firstSeq, Math.max(...seqs)),
        gte(auditBatches.lastSeq, Math.min(...seqs)),
      ),
    );
  const needed = batches
    .map((batch) => ({
      batch,
      rows: rows.filter((r) => r.seq >= batch.firstSeq && r.seq <= batch.lastSeq),
    }))
    .filter((b) => b.rows.length > 0);
  if (needed.length === 0) return proofs;

  // The event hashes every proof needs (the chunks around the rows; a whole batch sealed before
  // chunk roots), and every batch's receipt: two queries for the page.
  const wanted = new Set<number>();
  for (const { batch, rows: inBatch } of needed) {
    const ranges = batch.chunkRoots
      ? inBatch.map((r) => {
          const from = batch.firstSeq + Math.floor((r.seq - batch.firstSeq) / CHUNK) * CHUNK;
          return [from, Math.min(batch.lastSeq, from + CHUNK - 1)] as const;
        })
      : [[batch.firstSeq, batch.lastSeq] as const];
    for (const [from, to] of ranges) for (let q = from; q <= to; q += 1) wanted.add(q);
  }
  const hashRows = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(inArray(auditEvents.seq, [...wanted]));
  const hashOf = new Map(hashRows.map((r) => [r.seq, r.hash]));
  const between = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => hashOf.get(from + i)!);
  const receipts = await tx
    .select({
      eventId: chainOutbox.eventId,
      txHash: chainReceipts.txHash,
      height: chainReceipts.height,
      blockTime: chainReceipts.blockTime,
    })
    .from(chainOutbox)
    .innerJoin(chainReceipts, eq(chainReceipts.id, chainOutbox.receiptId))
    .where(
      and(
        inArray(
          chainOutbox.eventId,
          needed.map(({ batch }) => `audit-batch:${batch.batch}`),
        ),
        eq(chainOutbox.status, 'confirmed'),
      ),
    );
  const receiptOf = new Map(receipts.map((r) => [r.eventId, r]));

  for (const { batch, rows: inBatch } of needed) {
    const receipt = receiptOf.get(`audit-batch:${batch.batch}`);
    const roots = batch.chunkRoots?.match(/[0-9a-f]{64}/g) ?? null;
    const whole = roots ? null : new MerkleTree(between(batch.firstSeq, batch.lastSeq));
    for (const row of inBatch) {
      const index = row.seq - batch.firstSeq;
      let steps: ProofStep[];
      if (whole) steps = whole.proof(index);
      else {
        const from = batch.firstSeq + Math.floor(index / CHUNK) * CHUNK;
        const chunk = between(from, Math.min(batch.lastSeq, from + CHUNK - 1));
        steps = chunkedInclusionProof(chunk, index, roots!);
      }
      proofs.set(row.seq, {
        batch: batch.batch,
        merkleRoot: batch.merkleRoot,
        steps,
        txHash: receipt?.txHash ?? null,
        height: receipt?.height ?? null,
        blockTime: receipt?.blockTime ?? null,
      });
    }
  }
  return proofs;
}
