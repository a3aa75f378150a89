import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { auditEvents } from '../audit/audit.tables.js';
import { auditBatches } from './chain.tables.js';
import { chunkRoots, merkleRoot } from './merkle.js';
import { enqueueChainWork } from './outbox.service.js';

/** When to seal the next batch of audit events. */
export interface BatchPolicy {
  /** Most events in one batch (one Merkle tree, one anchor). */
  maxEvents: number;
  /** Seal a smaller batch once its oldest event has waited this long. */
  maxWaitMs: number;
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = { maxEvents: 1_000, maxWaitMs: 2_000 };

// Sealing is serialised across API instances by a transaction-scoped lock.
const BATCH_LOCK_KEY = 7_270_002;

/**
 * Seals the audit events not yet in a batch into consecutive batches, each with its Merkle root
 * and an outbox row for `anchor_audit`, all in one transaction. Returns how many were sealed.
 */
export async function sealAuditBatches(
  db: Database,
  policy: BatchPolicy = DEFAULT_BATCH_POLICY,
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BATCH_LOCK_KEY})`);
    const [last] = await tx.select().from(auditBatches).orderBy(desc(auditBatches.batch)).limit(1);
    let batch = (last?.batch ?? 0) + 1;
    let after = last?.lastSeq ?? 0;
    let sealed = 0;
    for (;;) {
      const events = await tx
        .select({
          seq: auditEvents.seq,
          hash: auditEvents.hash,
          occurredAt: auditEvents.occurredAt,
        })
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(asc(auditEvents.seq))
        .limit(policy.maxEvents);
      if (events.length === 0) break;
      const full = events.length === policy.maxEvents;
      const waited = Date.now() - events[0]!.occurredAt.getTime() >= policy.maxWaitMs;
      if (!full && !waited) break;
      const firstSeq = events[0]!.seq;
      const lastSeq = events[events.length - 1]!.seq;
      const hashes = events.map((e) => e.hash);
      const root = merkleRoot(hashes);
      await tx.insert(auditBatches).values({
        batch,
        firstSeq,
        lastSeq,
        count: events.length,
        merkleRoot: root,
        chunkRoots: chunkRoots(hashes).join(''),
      });
      await enqueueChainWork(tx, {
        kind: 'audit_anchor',
        item: {
          batch,
          merkle_root: root,
          first_seq: firstSeq,
          last_seq: lastSeq,
          count: events.length,
        },
      });
      sealed += 1;
      batch += 1;
      after = lastSeq;
      if (!full) break;
    }
    return sealed;
  });
}
