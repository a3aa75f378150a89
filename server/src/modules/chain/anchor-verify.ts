import { and, asc, between, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { auditEvents } from '../audit/audit.tables.js';
import { auditBatches, chainOutbox } from './chain.tables.js';
import type { LedgerPort } from './ledger-port.js';
import { merkleRoot } from './merkle.js';

/** The result of checking every sealed audit batch against its events and the chain. */
export interface AnchorVerification {
  ok: boolean;
  /** Batches whose root was recomputed and found on chain. */
  anchoredBatches: number;
  /** Sealed batches still waiting in the outbox (checked locally only). */
  pendingBatches: number;
  firstMismatch: { batch: number; reason: string } | null;
}

/**
 * Recomputes each batch's Merkle root from the events it covers and compares it with the sealed
 * root and with the root anchored on chain. Catches what the hash chain alone cannot: a log
 * rewritten from some event onwards with every later hash recomputed.
 */
export async function verifyAnchors(
  db: Queryable,
  ledger: Pick<LedgerPort, 'anchor'>,
): Promise<AnchorVerification> {
  const batches = await db.select().from(auditBatches).orderBy(asc(auditBatches.batch));
  const confirmed = new Set(
    (
      await db
        .select({ eventId: chainOutbox.eventId })
        .from(chainOutbox)
        .where(and(eq(chainOutbox.kind, 'audit_anchor'), eq(chainOutbox.status, 'confirmed')))
    ).map((r) => r.eventId),
  );
  let anchored = 0;
  let pending = 0;
  for (const b of batches) {
    const mismatch = (reason: string): AnchorVerification => ({
      ok: false,
      anchoredBatches: anchored,
      pendingBatches: pending,
      firstMismatch: { batch: b.batch, reason },
    });
    const events = await db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(between(auditEvents.seq, b.firstSeq, b.lastSeq))
      .orderBy(asc(auditEvents.seq));
    if (events.length !== b.count)
      return mismatch(`expected ${b.count} events, found ${events.length}`);
    const root = merkleRoot(events.map((e) => e.hash));
    if (root !== b.merkleRoot) return mismatch('events no longer match the sealed Merkle root');
    if (!confirmed.has(`audit-batch:${b.batch}`)) {
      pending += 1;
      continue;
    }
    const onChain = await ledger.anchor(b.batch);
    if (!onChain) return mismatch('recorded as anchored, but the chain has no such batch');
    if (onChain.merkle_root !== root)
      return mismatch('the Merkle root on chain differs from the events');
    if (
      onChain.first_seq !== b.firstSeq ||
      onChain.last_seq !== b.lastSeq ||
      onChain.count !== b.count
    ) {
      return mismatch('the sequence range on chain differs');
    }
    anchored += 1;
  }
  return { ok: true, anchoredBatches: anchored, pendingBatches: pending, firstMismatch: null };
}
