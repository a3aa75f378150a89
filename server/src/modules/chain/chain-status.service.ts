import type { ChainStatus } from '@consentome/contracts-client';
import { and, count, desc, eq, gt, isNotNull, min, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { auditEvents } from '../audit/audit.tables.js';
import { auditBatches, chainOutbox, chainReceipts } from './chain.tables.js';
import type { ChainConnection } from './chain-connection.js';
import { checkChainContinuity } from './chain-continuity.js';

/** The outbox and anchoring state, as admins and boards see it. */
export interface ChainStatusView {
  chain: ChainStatus | null;
  /** Why the chain could not be asked (down, misconfigured); null when it answered. */
  chainError: string | null;
  /** Why the relay last failed to send a still-pending item (it names the cause), or null. */
  relayError: string | null;
  pending: number;
  failed: number;
  confirmed: number;
  oldestPendingAt: Date | null;
  lastAnchoredBatch: {
    batch: number;
    firstSeq: number;
    lastSeq: number;
    merkleRoot: string;
    txHash: string;
    height: number;
    anchoredAt: Date;
  } | null;
  /** Audit events not yet covered by an anchored batch. */
  unanchoredEvents: number;
  recentReceipts: (typeof chainReceipts.$inferSelect)[];
}

/** Admins and ethics boards watch the chain. */
export function assertCanViewChain(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin', 'ethics_board')) return;
  throw new ForbiddenError('Only administrators and ethics boards can see the chain status');
}

/** Reads the outbox, the anchored batches and (when reachable) the chain itself. */
export async function getChainStatus(
  tx: Tx,
  actor: Actor | null,
  chain: ChainConnection | null,
): Promise<ChainStatusView> {
  assertCanViewChain(actor);
  const byStatus = await tx
    .select({ status: chainOutbox.status, n: count() })
    .from(chainOutbox)
    .groupBy(chainOutbox.status);
  const n = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
  const [oldest] = await tx
    .select({ at: min(chainOutbox.createdAt) })
    .from(chainOutbox)
    .where(eq(chainOutbox.status, 'pending'));
  const [last] = await tx
    .select({
      batch: auditBatches.batch,
      firstSeq: auditBatches.firstSeq,
      lastSeq: auditBatches.lastSeq,
      merkleRoot: auditBatches.merkleRoot,
      txHash: chainReceipts.txHash,
      height: chainReceipts.height,
      anchoredAt: chainOutbox.confirmedAt,
    })
    .from(auditBatches)
    .innerJoin(chainOutbox, eq(chainOutbox.eventId, sql`'audit-batch:' || ${auditBatches.batch}`))
    .innerJoin(chainReceipts, eq(chainReceipts.id, chainOutbox.receiptId))
    .where(eq(chainOutbox.status, 'confirmed'))
    .orderBy(desc(auditBatches.batch))
    .limit(1);
  const [unanchored] = await tx
    .select({ n: count() })
    .from(auditEvents)
    .where(gt(auditEvents.seq, last?.lastSeq ?? 0));
  const recentReceipts = await tx
    .select()
    .from(chainReceipts)
    .orderBy(desc(chainReceipts.id))
    .limit(10);
  let status: ChainStatus | null = null;
  let chainError: string | null = chain ? null : 'No chain is connected to this API instance.';
  if (chain) {
    try {
      status = await chain.status();
    } catch (error) {
      chainError = `The chain did not answer: ${(error as Error).message.slice(0, 300)}`;
    }
    // Also what the relay checks before sending: does the chain still hold our receipts? (A node
    // that cannot be asked is reported above.)
    const reset = await checkChainContinuity(tx, chain.ledger).catch(() => null);
    if (reset) chainError = reset.message.slice(0, 300);
  }
  const [lastFailure] = await tx
    .select({ error: chainOutbox.lastError })
    .from(chainOutbox)
    .where(and(eq(chainOutbox.status, 'pending'), isNotNull(chainOutbox.lastError)))
    .orderBy(desc(chainOutbox.nextAttemptAt))
    .limit(1);
  return {
    chain: status,
    chainError,
    relayError: lastFailure?.error?.slice(0, 500) ?? null,
    pending: n('pending'),
    failed: n('failed'),
    confirmed: n('confirmed'),
    oldestPendingAt: oldest?.at ?? null,
    lastAnchoredBatch: last ? { ...last, anchoredAt: last.anchoredAt ?? new Date(0) } : null,
    unanchoredEvents: unanchored?.n ?? 0,
    recentReceipts,
  };
}
