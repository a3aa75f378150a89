import type { AnchorRecord } from '@consentome/contracts-client';
import { asc, between, count, eq, gt, like } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { auditEvents } from '../audit/audit.tables.js';
import { readAllAnchors, type AnchorReader } from './chain-anchors.js';
import { auditBatches, chainOutbox } from './chain.tables.js';
import { merkleRoot } from './merkle.js';

/** A batch as the database and the chain describe it. */
export interface BatchRange {
  batch: number;
  firstSeq: number;
  lastSeq: number;
}

/** One thing that does not add up, named by batch (0 when it is about the log as a whole). */
export interface AnchorProblem {
  batch: number;
  reason: string;
}

/** The result of checking the sealed audit batches against their events and the chain. */
export interface AnchorVerification {
  ok: boolean;
  /** Batches anchored on chain whose root and range match the database's. */
  anchoredBatches: number;
  /** Sealed batches beyond the chain's latest, queued in the outbox (checked locally only). */
  pendingBatches: number;
  /** Events after the last sealed batch (not yet covered by any Merkle root). */
  unsealedEvents: number;
  /** The latest batch the chain holds, and the last event it covers. */
  chainLatest: BatchRange | null;
  /** The latest batch the database holds. */
  databaseLatest: BatchRange | null;
  /** Every problem found (at most MAX_PROBLEMS), in batch order; the first is `firstMismatch`. */
  problems: AnchorProblem[];
  firstMismatch: AnchorProblem | null;
}

const MAX_PROBLEMS = 50;

type BatchRow = typeof auditBatches.$inferSelect;
type OutboxRow = Pick<typeof chainOutbox.$inferSelect, 'eventId' | 'status' | 'item' | 'lastError'>;

const range = (b: { batch: number; firstSeq: number; lastSeq: number }): BatchRange => ({
  batch: b.batch,
  firstSeq: b.firstSeq,
  lastSeq: b.lastSeq,
});

/** Whether the anchor on chain says exactly what the sealed batch says. */
function sameAnchor(row: BatchRow, anchor: AnchorRecord): boolean {
  return (
    anchor.merkle_root === row.merkleRoot &&
    anchor.first_seq === row.firstSeq &&
    anchor.last_seq === row.lastSeq &&
    anchor.count === row.count
  );
}

/** Whether a queued anchor message would anchor exactly this batch. */
function queuesThisBatch(row: BatchRow, outbox: OutboxRow): boolean {
  const item = outbox.item as Partial<AnchorRecord> | null;
  return (
    item?.batch === row.batch &&
    item.merkle_root === row.merkleRoot &&
    item.first_seq === row.firstSeq &&
    item.last_seq === row.lastSeq &&
    item.count === row.count
  );
}

/**
 * Checks the audit log against the chain without trusting what the database says about the
 * chain. The chain's own list of anchors is the reference: every anchor on chain must have a
 * sealed batch with the same range and Merkle root, and every batch's root is recomputed from
 * its events. So a rewrite with recomputed hashes and roots is caught (the chain keeps the old
 * root), and so is a deletion of the newest events with their batch and outbox rows (the chain
 * still anchors them). Batches the chain does not hold yet must be queued in the outbox to be
 * anchored as they are; a batch that can never be anchored (outbox row failed or missing) is a
 * problem, not a state to wait on. Only read queries are used, so this works on any chain.
 */
export async function verifyAnchors(
  db: Queryable,
  chain: AnchorReader,
): Promise<AnchorVerification> {
  // Order matters while a relay keeps anchoring: the chain's count first (every batch it covers
  // was sealed before, so the database read next has it), the anchors themselves last (so a batch
  // the database already calls confirmed is in the list).
  const { total: anchoredBefore } = await chain.anchors(chain.sender, { limit: 1 });
  const batches = await db.select().from(auditBatches).orderBy(asc(auditBatches.batch));
  const outbox = new Map(
    (
      await db
        .select({
          eventId: chainOutbox.eventId,
          status: chainOutbox.status,
          item: chainOutbox.item,
          lastError: chainOutbox.lastError,
        })
        .from(chainOutbox)
        .where(like(chainOutbox.eventId, 'audit-batch:%'))
    ).map((r) => [r.eventId, r]),
  );
  const anchors = await readAllAnchors(chain, anchoredBefore);
  const problems: AnchorProblem[] = [];
  const problem = (batch: number, reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ batch, reason });
  };

  // 1. The sealed batches, on their own: consecutive, gap-free, each root matching its events.
  let expectedFirst = 1;
  for (const [i, b] of batches.entries()) {
    if (b.batch !== i + 1) problem(b.batch, `batch numbers have a gap: expected ${i + 1}`);
    if (b.firstSeq !== expectedFirst || b.lastSeq - b.firstSeq + 1 !== b.count)
      problem(
        b.batch,
        `covers events ${b.firstSeq}-${b.lastSeq}; expected to start at ${expectedFirst}`,
      );
    expectedFirst = b.lastSeq + 1;
    const events = await db
      .select({ hash: auditEvents.hash })
      .from(auditEvents)
      .where(between(auditEvents.seq, b.firstSeq, b.lastSeq))
      .orderBy(asc(auditEvents.seq));
    if (events.length !== b.count)
      problem(b.batch, `expected ${b.count} events, found ${events.length}`);
    else if (merkleRoot(events.map((e) => e.hash)) !== b.merkleRoot)
      problem(b.batch, 'events no longer match the sealed Merkle root');
  }

  // 2. Every anchor on chain against the database.
  const byNumber = new Map(batches.map((b) => [b.batch, b]));
  let anchored = 0;
  for (const a of anchors) {
    const row = byNumber.get(a.batch);
    // Sealed and anchored after the database was read: nothing to compare it with yet.
    if (!row && a.batch > anchoredBefore) continue;
    if (!row)
      problem(
        a.batch,
        `the chain anchors events ${a.first_seq}-${a.last_seq} in this batch, but the database has no such batch (deleted?)`,
      );
    else if (!sameAnchor(row, a))
      problem(
        a.batch,
        a.merkle_root !== row.merkleRoot
          ? 'the Merkle root on chain differs from the database'
          : 'the sequence range on chain differs from the database',
      );
    else anchored += 1;
  }

  // 3. The latest batch and last sequence: the chain's against the database's.
  const chainLast = anchors[anchoredBefore - 1];
  const dbLast = batches[batches.length - 1];
  const chainLatest = chainLast
    ? { batch: chainLast.batch, firstSeq: chainLast.first_seq, lastSeq: chainLast.last_seq }
    : null;
  const databaseLatest = dbLast ? range(dbLast) : null;
  if (chainLatest && (!databaseLatest || databaseLatest.batch < chainLatest.batch))
    problem(
      chainLatest.batch,
      `the chain's latest batch is ${chainLatest.batch} (up to event ${chainLatest.lastSeq}), the database's is ${databaseLatest?.batch ?? 'none'} (up to event ${databaseLatest?.lastSeq ?? 0})`,
    );
  if (chainLatest) {
    const [last] = await db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.seq, chainLatest.lastSeq));
    if (!last)
      problem(chainLatest.batch, `event ${chainLatest.lastSeq}, anchored on chain, is missing`);
  }

  // 4. Batches the chain does not hold yet: each must be queued to be anchored as it is.
  let pending = 0;
  for (const b of batches) {
    if (b.batch <= anchors.length) continue;
    const row = outbox.get(`audit-batch:${b.batch}`);
    if (!row) problem(b.batch, 'sealed, but no outbox row will ever anchor it');
    else if (row.status === 'failed')
      problem(b.batch, `cannot be anchored: ${(row.lastError ?? 'refused').slice(0, 200)}`);
    else if (row.status === 'confirmed')
      problem(b.batch, 'recorded as anchored, but the chain has no such batch');
    else if (!queuesThisBatch(b, row))
      problem(b.batch, 'the queued anchor differs from the sealed batch');
    else pending += 1;
  }

  const [{ n: unsealed } = { n: 0 }] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(gt(auditEvents.seq, databaseLatest?.lastSeq ?? 0));
  problems.sort((x, y) => x.batch - y.batch);
  return {
    ok: problems.length === 0,
    anchoredBatches: anchored,
    pendingBatches: pending,
    unsealedEvents: unsealed,
    chainLatest,
    databaseLatest,
    problems,
    firstMismatch: problems[0] ?? null,
  };
}
