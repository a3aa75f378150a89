import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChainError } from '../errors.js';
import { acquirePidLock, PidLockHeldError } from '../pid-lock.js';
import { readSnapshot, SNAPSHOT_FILE, TX_LOG_FILE, writeSnapshot } from './chain-state-files.js';
import type { ChainSnapshot, SnapshotSource, TxRecord } from './chain-state-files.js';
import { LineLog, readLineLog } from './line-log.js';

const LOCK_FILE = 'LOCK';

/** What a chain directory held when it was opened. */
export interface OpenedJournal {
  journal: ChainJournal;
  /** The last snapshot (or the fresh one just written for a new directory). */
  snapshot: ChainSnapshot;
  /** Transactions committed after the snapshot, to replay in order. */
  records: TxRecord[];
}

/**
 * The embedded chain's durable store: one directory with a snapshot and a transaction log
 * (chain-state-files.ts), locked to one process. It knows nothing of the simulator: the chain
 * hands it records to append and, when the log outgrows the snapshot, the state to fold into a
 * new snapshot.
 */
export class ChainJournal {
  /** Set when a failed append may have left a partial line: no writes until a reopen. */
  private broken: Error | undefined;

  private constructor(
    private readonly dir: string,
    private readonly log: LineLog,
    private snapshotBytes: number,
    private readonly compactLogBytes: number,
    private readonly releaseLock: () => void,
  ) {}

  /**
   * Opens (or creates, with `fresh`) the chain directory `dir`: takes its lock, reads the snapshot
   * and the records logged after it, and refuses a directory of another chain id or prefix.
   */
  static async open(
    dir: string,
    fresh: () => ChainSnapshot,
    expected: { chainId: string; prefix: string },
    compactLogBytes: number,
  ): Promise<OpenedJournal> {
    mkdirSync(dir, { recursive: true });
    let releaseLock: () => void;
    try {
      releaseLock = acquirePidLock(join(dir, LOCK_FILE), {}, { reentrant: true });
    } catch (err) {
      if (!(err instanceof PidLockHeldError)) throw err;
      throw new ChainError(
        'unavailable',
        `embedded chain ${dir} is in use by process ${err.holder.pid}`,
      );
    }
    try {
      let snapshot = readSnapshot(dir);
      let snapshotBytes = snapshot ? statSync(join(dir, SNAPSHOT_FILE)).size : 0;
      if (snapshot === undefined) {
        snapshot = fresh();
        snapshotBytes = writeSnapshot(dir, { ...snapshot, storage: [] });
      }
      const { meta } = snapshot;
      if (meta.chainId !== expected.chainId || meta.prefix !== expected.prefix) {
        throw new ChainError(
          'invalid_request',
          `${dir} holds chain ${meta.chainId} (prefix ${meta.prefix}), not ${expected.chainId} (${expected.prefix})`,
        );
      }
      const logPath = join(dir, TX_LOG_FILE);
      const { records, validBytes } = readLineLog<TxRecord>(logPath);
      const log = await LineLog.open(logPath, validBytes);
      const journal = new ChainJournal(dir, log, snapshotBytes, compactLogBytes, releaseLock);
      // Records already folded into the snapshot may remain if a compaction stopped midway.
      const later = records.filter((r) => r.height > meta.height);
      return { journal, snapshot, records: later };
    } catch (err) {
      releaseLock();
      throw err;
    }
  }

  /** Why the journal refuses writes, if it does. */
  get failure(): Error | undefined {
    return this.broken;
  }

  /** Appends a committed transaction durably (fdatasync'ed) before the commit is reported. */
  async append(record: TxRecord): Promise<void> {
    try {
      await this.log.append(record);
    } catch (err) {
      // If the log could not even be cut back, a partial line may sit at its end: stop writing
      // until a reopen, which recognises it as a torn write.
      if (this.log.failed) this.broken = err as Error;
      throw new ChainError(
        'unavailable',
        `embedded chain: could not persist tx: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** Folds the log into a new snapshot once the log outgrows the snapshot (amortised O(1) per tx). */
  async maybeCompact(state: () => SnapshotSource): Promise<void> {
    if (this.log.bytes <= Math.max(this.compactLogBytes, this.snapshotBytes)) return;
    // Runs after the commit is durable in the log: a failed compaction only delays the log's
    // truncation (records the snapshot already holds are skipped on replay), so it is not fatal.
    await this.compact(state).catch(() => undefined);
  }

  /** Writes a snapshot of `state` and empties the log. */
  async compact(state: () => SnapshotSource): Promise<void> {
    this.snapshotBytes = writeSnapshot(this.dir, state());
    await this.log.reset();
  }

  /** Closes the log and releases the directory. */
  async close(): Promise<void> {
    await this.log.close();
    this.releaseLock();
  }
}
