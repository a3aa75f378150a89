import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { DEFAULT_BATCH_POLICY, sealAuditBatches, type BatchPolicy } from './audit-batcher.js';
import type { LedgerPort } from './ledger-port.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * The background chain work of one API instance: seal the audit log into batches every
 * `sealEveryMs`, and relay the outbox onto the chain. Several instances may run it at once: both
 * steps take database locks, so no batch is sealed twice and no row is sent by two relays.
 */
export class ChainWorker {
  private sealTimer: NodeJS.Timeout | null = null;
  private sealing: Promise<unknown> = Promise.resolve();
  readonly relay: OutboxRelay;

  constructor(
    private readonly db: Database,
    ledger: LedgerPort,
    private readonly log: Logger,
    private readonly policy: BatchPolicy = DEFAULT_BATCH_POLICY,
  ) {
    this.relay = new OutboxRelay(db, ledger, log);
  }

  /** Starts sealing and relaying in the background. */
  start(sealEveryMs = 1_000, relayEveryMs = 500): void {
    this.sealTimer = setInterval(() => {
      this.sealing = sealAuditBatches(this.db, this.policy).catch((error: unknown) =>
        this.log.error('sealing audit batches failed', { error: (error as Error).message }),
      );
    }, sealEveryMs);
    this.relay.start(relayEveryMs);
  }

  /** Stops both loops and waits for work in progress. */
  async stop(): Promise<void> {
    if (this.sealTimer) clearInterval(this.sealTimer);
    await this.sealing;
    await this.relay.stop();
  }

  /** Seals what is ready and drains the outbox once (CLI, tests). */
  async runOnce(): Promise<{
    sealed: number;
    confirmed: number;
    failed: number;
    pending: boolean;
  }> {
    const sealed = await sealAuditBatches(this.db, this.policy);
    const r = await this.relay.drain();
    return { sealed, confirmed: r.confirmed, failed: r.failed, pending: r.deferred > 0 };
  }
}
