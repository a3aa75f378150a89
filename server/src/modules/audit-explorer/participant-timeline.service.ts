import { and, desc, eq, gte, lt, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { auditBatches, chainOutbox, chainReceipts } from '../chain/chain.tables.js';
import { inclusionProof, type ProofStep } from '../chain/merkle.js';
import { participants } from '../participants/participants.tables.js';
import { canonicalEvent } from '../audit/audit-hash.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';

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
  actorRole: string;
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
});

/**
 * Every audit event about the signed-in participant's data, newest first, each with its hash,
 * the canonical text it was computed from, and (once anchored) the Merkle inclusion proof and the
 * chain receipt of its batch, so the participant can check it against the chain themselves.
 */
export async function participantTimeline(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<TimelineEvent[]> {
  if (!hasRole(actor, 'participant')) throw new NotFoundError('Participant');
  const [participant] = await tx
    .select()
    .from(participants)
    .where(eq(participants.userId, actor.userId));
  if (!participant) throw new NotFoundError('Participant');
  const { limit, beforeSeq } = parseInput(TimelineInput, input ?? {});
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.participantId, participant.id),
        beforeSeq ? lt(auditEvents.seq, beforeSeq) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  const timeline = await withProofs(tx, rows);
  await appendAuditEvent(tx, actor, {
    action: 'audit.read',
    targetType: 'participant',
    targetId: participant.id,
    participantId: participant.id,
    payload: { own: true, returned: timeline.length },
  });
  return timeline;
}

/**
 * Audit rows with what a verifier needs: the canonical text, and once sealed the RFC 6962
 * inclusion proof in their batch plus the chain receipt that anchored the batch.
 */
export async function withProofs(
  tx: Tx,
  rows: (typeof auditEvents.$inferSelect)[],
): Promise<TimelineEvent[]> {
  const batchHashes = new Map<number, string[]>();
  const timeline: TimelineEvent[] = [];
  for (const row of rows) {
    const [batch] = await tx
      .select()
      .from(auditBatches)
      .where(and(lte(auditBatches.firstSeq, row.seq), gte(auditBatches.lastSeq, row.seq)));
    let proof: EventProof | null = null;
    if (batch) {
      let hashes = batchHashes.get(batch.batch);
      if (!hashes) {
        hashes = (
          await tx
            .select({ hash: auditEvents.hash })
            .from(auditEvents)
            .where(and(gte(auditEvents.seq, batch.firstSeq), lte(auditEvents.seq, batch.lastSeq)))
            .orderBy(auditEvents.seq)
        ).map((e) => e.hash);
        batchHashes.set(batch.batch, hashes);
      }
      const [receipt] = await tx
        .select({
          txHash: chainReceipts.txHash,
          height: chainReceipts.height,
          blockTime: chainReceipts.blockTime,
        })
        .from(chainOutbox)
        .innerJoin(chainReceipts, eq(chainReceipts.id, chainOutbox.receiptId))
        .where(
          and(
            eq(chainOutbox.eventId, `audit-batch:${batch.batch}`),
            eq(chainOutbox.status, 'confirmed'),
          ),
        );
      proof = {
        batch: batch.batch,
        merkleRoot: batch.merkleRoot,
        steps: inclusionProof(hashes, row.seq - batch.firstSeq),
        txHash: receipt?.txHash ?? null,
        height: receipt?.height ?? null,
        blockTime: receipt?.blockTime ?? null,
      };
    }
    timeline.push({
      seq: row.seq,
      occurredAt: row.occurredAt,
      action: row.action,
      actorRole: row.actorRole,
      hash: row.hash,
      prevHash: row.prevHash,
      canonical: canonicalEvent(row),
      proof,
    });
  }
  return timeline;
}
