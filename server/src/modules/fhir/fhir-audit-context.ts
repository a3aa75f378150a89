import { and, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { AuditEventRecord } from '../audit-explorer/audit-query.service.js';
import { auditBatches, chainOutbox, chainReceipts } from '../chain/chain.tables.js';
import { participants } from '../participants/participants.tables.js';
import type { AuditAnchor, AuditEventContext } from './fhir-audit-event.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Looks up what a page of events needs to become FHIR: pseudonyms of the participants they name
 * and of participant actors, and the confirmed on-chain anchors of their batches. A fixed number
 * of queries per page, whatever its size.
 */
export async function auditEventContext(
  tx: Tx,
  rows: AuditEventRecord[],
): Promise<AuditEventContext> {
  const pseudonyms = new Map<string, string>();
  const actorPseudonyms = new Map<string, string>();
  const anchors = new Map<number, AuditAnchor>();
  if (rows.length === 0) return { pseudonyms, actorPseudonyms, anchors };

  const participantIds = new Set<string>();
  for (const r of rows) {
    if (r.participantId) participantIds.add(r.participantId);
    if (r.targetType === 'participant' && r.targetId && UUID_RE.test(r.targetId))
      participantIds.add(r.targetId);
  }
  const actorIds = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
  const conditions: SQL[] = [];
  if (participantIds.size) conditions.push(inArray(participants.id, [...participantIds]));
  if (actorIds.length) conditions.push(inArray(participants.userId, actorIds));
  if (conditions.length) {
    const people = await tx
      .select({
        id: participants.id,
        userId: participants.userId,
        pseudonym: participants.pseudonym,
      })
      .from(participants)
      .where(or(...conditions));
    for (const p of people) {
      pseudonyms.set(p.id, p.pseudonym);
      if (p.userId) actorPseudonyms.set(p.userId, p.pseudonym);
    }
  }

  const seqs = rows.map((r) => r.seq);
  const batches = await tx
    .select({
      batch: auditBatches.batch,
      firstSeq: auditBatches.firstSeq,
      lastSeq: auditBatches.lastSeq,
      merkleRoot: auditBatches.merkleRoot,
      chainId: chainReceipts.chainId,
      txHash: chainReceipts.txHash,
      height: chainReceipts.height,
      blockTime: chainReceipts.blockTime,
    })
    .from(auditBatches)
    // The anchor's outbox row is keyed `audit-batch:N` (outbox.service.ts); only a confirmed
    // row with a receipt is proof that the root is on chain.
    .innerJoin(
      chainOutbox,
      and(
        eq(chainOutbox.kind, 'audit_anchor'),
        eq(chainOutbox.status, 'confirmed'),
        eq(chainOutbox.eventId, sql`'audit-batch:' || ${auditBatches.batch}`),
      ),
    )
    .innerJoin(chainReceipts, eq(chainReceipts.id, chainOutbox.receiptId))
    .where(
      and(
        lte(auditBatches.firstSeq, Math.max(...seqs)),
        gte(auditBatches.lastSeq, Math.min(...seqs)),
      ),
    );
  for (const row of rows) {
    const b = batches.find((x) => x.firstSeq <= row.seq && row.seq <= x.lastSeq);
    if (b)
      anchors.set(row.seq, {
        batch: b.batch,
        merkleRoot: b.merkleRoot,
        chainId: b.chainId,
        txHash: b.txHash,
        height: b.height,
        blockTime: b.blockTime,
      });
  }
  return { pseudonyms, actorPseudonyms, anchors };
}
