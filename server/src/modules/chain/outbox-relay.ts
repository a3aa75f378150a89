import {
  MAX_BATCH_ITEMS,
  isChainError,
  type ChainError,
  type Receipt,
} from '@consentome/contracts-client';
import { and, asc, eq, gt, inArray, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { chainOutbox, chainReceipts } from './chain.tables.js';
import { checkChainContinuity } from './chain-continuity.js';
import type { LedgerPort } from './ledger-port.js';

type OutboxRow = typeof chainOutbox.$inferSelect;

/** Tuning of the relay. */
export interface RelayOptions {
  /** Rows claimed per flush (split into messages of at most MAX_BATCH_ITEMS). */
  claimLimit: number;
  /** How long a claim lasts; a relay killed mid-send leaves rows to be re-claimed after this. */
  claimMs: number;
  /** Backoff after a transient failure: base × 2^attempts, capped, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Before sending, check that the chain still holds our last receipts (chain-continuity.ts). */
  checkContinuity?: boolean;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  claimLimit: 2_000,
  claimMs: 30_000,
  backoffBaseMs: 250,
  backoffMaxMs: 30_000,
};

/** What one flush did. */
export interface FlushResult {
  claimed: number;
  confirmed: number;
  failed: number;
  deferred: number;
  transactions: number;
}

/** A flush that did nothing yet: every count at zero. */
function nothingFlushed(): FlushResult {
  return { claimed: 0, confirmed: 0, failed: 0, deferred: 0, transactions: 0 };
}

/**
 * Claims pending rows (FOR UPDATE SKIP LOCKED, so several relays never take the same row),
 * oldest first, and marks them claimed for a while. Committed before anything is sent.
 */
async function claim(db: Database, opts: RelayOptions): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    // The database's clock, at microseconds: rows get `next_attempt_at` from its `now()` when
    // they are queued, and a JavaScript Date (milliseconds) taken within the same millisecond
    // was earlier than that, so a row queued just before the claim blocked everything behind it.
    const now = sql`now()`;
    // The oldest pending row that is not ready (backing off after a failure, or claimed by a
    // relay now sending it). Nothing after it may overtake it: audit anchors must reach the
    // contract in batch order and consent versions in version order, and a row sent too early
    // is refused for good. Without this, rows queued during a chain outage (ready at once) went
    // out before the row that had been backing off since the outage began.
    const [blocker] = await tx
      .select({ id: min(chainOutbox.id) })
      .from(chainOutbox)
      .where(
        and(
          eq(chainOutbox.status, 'pending'),
          or(gt(chainOutbox.nextAttemptAt, now), gt(chainOutbox.claimedUntil, now)),
        ),
      );
    const rows = await tx
      .select()
      .from(chainOutbox)
      .where(
        and(
          eq(chainOutbox.status, 'pending'),
          lte(chainOutbox.nextAttemptAt, now),
          or(isNull(chainOutbox.claimedUntil), lt(chainOutbox.claimedUntil, now)),
          ...(blocker?.id != null ? [lt(chainOutbox.id, blocker.id)] : []),
        ),
      )
      .orderBy(asc(chainOutbox.id))
      .limit(opts.claimLimit)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return [];
    await tx
      .update(chainOutbox)
      .set({
        claimedUntil: sql`now() + ${opts.claimMs}::integer * interval '1 millisecond'`,
        attempts: sql`${chainOutbox.attempts} + 1`,
      })
      .where(
        inArray(
          chainOutbox.id,
          rows.map((r) => r.id),
        ),
      );
    return rows;
  });
}

/**
 * Groups claimed rows into messages, keeping their order: a run of consents (or grants) becomes
 * record_* messages of at most MAX_BATCH_ITEMS items; each anchor and passkey change is its own
 * message.
 */
function toMessages(rows: OutboxRow[]): OutboxRow[][] {
  const messages: OutboxRow[][] = [];
  for (const row of rows) {
    const current = messages[messages.length - 1];
    if (
      row.kind !== 'audit_anchor' &&
      row.kind !== 'passkey' &&
      current &&
      current[0]!.kind === row.kind &&
      current.length < MAX_BATCH_ITEMS
    ) {
      current.push(row);
    } else {
      messages.push([row]);
    }
  }
  return messages;
}

function send(ledger: LedgerPort, rows: OutboxRow[]): Promise<Receipt> {
  const kind = rows[0]!.kind;
  if (kind === 'consent') return ledger.recordConsents(rows.map((r) => r.item as never));
  if (kind === 'grant') return ledger.recordGrants(rows.map((r) => r.item as never));
  if (kind === 'passkey') return ledger.changePasskey(rows[0]!.item as never);
  return ledger.anchorAudit(rows[0]!.item as never);
}

async function confirm(db: Database, rows: OutboxRow[], receipt: Receipt): Promise<void> {
  await db.transaction(async (tx) => {
    const [stored] = await tx
      .insert(chainReceipts)
      .values({
        chainId: receipt.chainId,
        txHash: receipt.txHash,
        height: receipt.height,
        blockTime: receipt.time,
        digest: receipt.digest,
        headHash: receipt.headHash,
        items: rows.length,
      })
      .returning({ id: chainReceipts.id });
    await tx
      .update(chainOutbox)
      .set({
        status: 'confirmed',
        receiptId: stored!.id,
        confirmedAt: new Date(),
        claimedUntil: null,
        lastError: null,
      })
      .where(
        inArray(
          chainOutbox.id,
          rows.map((r) => r.id),
        ),
      );
  });
}

async function release(
  db: Database,
  rows: OutboxRow[],
  error: string,
  opts: RelayOptions,
  permanent: boolean,
) {
  for (const row of rows) {
    const delay = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.min(row.attempts, 16));
    const jitter = Math.random() * delay * 0.2;
    await db
      .update(chainOutbox)
      .set({
        status: permanent ? 'failed' : 'pending',
        lastError: error.slice(0, 2_000),
        claimedUntil: null,
        nextAttemptAt: new Date(Date.now() + delay + jitter),
      })
      .where(eq(chainOutbox.id, row.id));
  }
}

/**
 * True when the contract refused this very message (its content): splitting it finds the bad
 * item, which can be marked failed. Everything else (node down, out of gas, unfunded key, wrong
 * chain or contract, relayer no longer a writer) is about the chain or its configuration: items
 * stay queued and are never marked, whatever the cause.
 */
function refusedByContract(error: unknown): boolean {
  return (
    isChainError(error, 'contract', 'vm_error') &&
    (error as ChainError).contractKind !== 'unauthorized'
  );
}

/**
 * Moves committed chain work from the outbox onto the chain. Each flush claims pending rows,
 * sends them in order as few transactions as the batch limit allows, and records each receipt.
 * Transient failures (chain down, sequence mismatch) back off and retry; a message the contract
 * refuses is split to find the offending item, which is marked failed so the rest still flows.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private intervalMs = 500;
  /** A wake came during a flush: run the next one at once, and tell the waker when it ends. */
  private again: { done: Promise<void>; resolve: () => void } | null = null;
  /** Set when the chain was reset under us: nothing is sent until an operator restarts. */
  private haltedBy: ChainError | null = null;

  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerPort,
    private readonly log: Logger,
    private readonly opts: RelayOptions = DEFAULT_RELAY_OPTIONS,
  ) {}

  /** Why the relay stopped (a chain reset), or null while it runs. */
  get halted(): ChainError | null {
    return this.haltedBy;
  }

  /** One claim-send-record cycle. */
  async flush(): Promise<FlushResult> {
    const result = nothingFlushed();
    if (this.haltedBy) return result;
    const rows = await claim(this.db, this.opts);
    result.claimed = rows.length;
    if (rows.length === 0) return result;
    if (this.opts.checkContinuity !== false) {
      let problem: ChainError | null;
      try {
        problem = await checkChainContinuity(this.db, this.ledger);
      } catch (error) {
        // The chain cannot be asked: the same as failing to send.
        await this.hold(rows, error, result);
        return result;
      }
      if (problem) {
        this.haltedBy = problem;
        this.log.error('the chain no longer holds our receipts; relay stopped', {
          error: problem.message.slice(0, 300),
        });
        await release(this.db, rows, problem.message, this.opts, false);
        result.deferred += rows.length;
        return result;
      }
    }
    const messages = toMessages(rows);
    for (let i = 0; i < messages.length; i += 1) {
      const outcome = await this.deliver(messages[i]!, result);
      if (outcome === 'transient') {
        // Keep order: nothing after a message that could not be sent goes out before it.
        const rest = messages.slice(i + 1).flat();
        await release(
          this.db,
          rest,
          'deferred behind a failed message',
          { ...this.opts, backoffBaseMs: 0 },
          false,
        );
        result.deferred += rest.length;
        break;
      }
    }
    return result;
  }

  private async deliver(
    rows: OutboxRow[],
    result: FlushResult,
  ): Promise<'ok' | 'transient' | 'permanent'> {
    try {
      const receipt = await send(this.ledger, rows);
      await confirm(this.db, rows, receipt);
      result.confirmed += rows.length;
      result.transactions += 1;
      return 'ok';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!refusedByContract(error)) {
        await this.hold(rows, error, result);
        return 'transient';
      }
      if (rows.length > 1) {
        // Isolate the refused item: every other item of the message is still good.
        for (const row of rows) {
          if ((await this.deliver([row], result)) === 'transient') return 'transient';
        }
        return 'ok';
      }
      this.log.error('the contract refused an outbox item', {
        eventId: rows[0]!.eventId,
        error: message.slice(0, 200),
      });
      await release(this.db, rows, message, this.opts, true);
      result.failed += 1;
      return 'permanent';
    }
  }

  /** Puts rows back in the queue, keeping the error (it names the cause) for chainStatus. */
  private async hold(rows: OutboxRow[], error: unknown, result: FlushResult): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const operator = isChainError(error) && error.needsOperator;
    (operator ? this.log.error : this.log.warn).call(
      this.log,
      operator ? 'chain needs an operator; items stay queued' : 'chain unavailable; will retry',
      { rows: rows.length, error: message.slice(0, 300) },
    );
    await release(this.db, rows, message, this.opts, false);
    result.deferred += rows.length;
  }

  /** Flushes repeatedly until nothing is ready (used by tests, the CLI and benchmarks). */
  async drain(): Promise<FlushResult> {
    const total = nothingFlushed();
    for (;;) {
      const r = await this.flush();
      for (const k of Object.keys(total) as (keyof FlushResult)[]) total[k] += r[k];
      if (r.claimed === 0 || r.deferred > 0) return total;
    }
  }

  /** Runs in the background: flush, then wait `intervalMs` (immediately again if work remained). */
  start(intervalMs = 500): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.intervalMs = intervalMs;
    this.tick();
  }

  /**
   * Flushes now rather than at the end of the period, when the background loop runs (a no-op
   * otherwise): called after a write commits, so that a participant's decision, a withdrawal
   * above all, is on its way to the chain at once and not up to a period later. During a flush
   * it makes the next one follow at once. Resolves when a flush that began after the call has
   * finished (never rejects: a failed flush is logged, as in the loop).
   */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.timer) {
      clearTimeout(this.timer);
      this.tick();
      return this.running.then(() => undefined);
    }
    if (!this.again) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.again = { done, resolve };
    }
    return this.again.done;
  }

  private tick(): void {
    this.timer = null;
    const woken = this.again;
    this.again = null;
    this.running = this.flush()
      .then(
        (r) => r,
        (error: unknown) => {
          this.log.error('relay flush failed', { error: (error as Error).message });
          return null;
        },
      )
      .then((r) => {
        woken?.resolve();
        if (this.stopped) {
          this.again?.resolve(); // no flush follows: do not keep a waker waiting
          this.again = null;
          return;
        }
        const busy = (r !== null && r.claimed > 0 && r.deferred === 0) || this.again !== null;
        this.timer = setTimeout(() => this.tick(), busy ? 0 : this.intervalMs);
      });
  }

  /** Stops the background loop and waits for the flush in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.again?.resolve(); // a wake whose flush will not run now
    this.again = null;
  }
}
