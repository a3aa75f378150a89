import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import type { CohortIndex } from './cohort-index.js';
import { applyCohortChanges, buildCohortIndex, loadConfirmedTerms } from './cohort-index-loader.js';
import { changeLogPosition } from './change-log-position.js';
import { initRoaring } from './roaring.js';
import { readIndexSnapshot, UnusableSnapshot, writeIndexSnapshot } from './index-snapshot-file.js';

/** How the engine keeps its index on disk between restarts. */
export interface CohortEngineOptions {
  /** The snapshot file (the server uses DATA_DIR/cohort-index.snapshot); none in tests. */
  snapshotFile?: string;
  /** Write a new snapshot once this many changes were applied since the last (default 5,000). */
  snapshotEvery?: number;
}

/** How the index was made at start: from a snapshot (and the changes since), or the database. */
export type IndexOrigin = 'snapshot' | 'database';

/**
 * Owns the process's cohort index: builds it once, and before every query applies whatever the
 * change log recorded since (one short query when nothing changed). Syncs run one at a time.
 * With a snapshot file, start-up loads the index from it when the file checks out and its
 * change-log position still exists unchanged in the database, then applies the changes since;
 * otherwise it rebuilds from the database. A new snapshot is written after a rebuild, after
 * `snapshotEvery` changes, and on `persist()` (shutdown).
 */
export class CohortEngine {
  private index: CohortIndex | null = null;
  private changeSeq = 0;
  private snapshotSeq = 0;
  private building: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private writing: Promise<void> | null = null;
  /** Where the index came from at start (null before `ready`). */
  origin: IndexOrigin | null = null;
  private beforeRead: (() => Promise<unknown>) | null = null;

  /**
   * Runs `hook` before every read of the index (and so before every count, request, grant and
   * export): the wiring uses it to apply the decisions participants signed at linked sites
   * first. A failing hook fails the read: nothing is counted on stale consent.
   */
  beforeEachRead(hook: () => Promise<unknown>): void {
    this.beforeRead = hook;
  }

  constructor(
    private readonly db: Database,
    private readonly log?: Logger,
    private readonly options: CohortEngineOptions = {},
  ) {}

  /** Builds the index (once); later calls wait for the same build. */
  ready(): Promise<void> {
    this.building ??= (async () => {
      const started = performance.now();
      if (!(await this.loadSnapshot())) {
        const built = await buildCohortIndex(this.db);
        this.index = built.index;
        this.changeSeq = built.changeSeq;
        this.origin = 'database';
      }
      const genesWarmed = this.index!.warmGeneCache();
      this.log?.info('cohort index ready', {
        genesWarmed,
        ...this.index!.stats(),
        from: this.origin,
        ms: Math.round(performance.now() - started),
      });
      if (this.changeSeq !== this.snapshotSeq) this.persistInBackground();
    })();
    return this.building;
  }

  /**
   * The index as last synced, without asking the change log: for a caller that reads the log's
   * latest sequence number in a statement it sends anyway and checks it with `isCurrentWith`
   * (one round trip fewer per count), falling back to `current()` when it is not.
   */
  async lastSynced(): Promise<CohortIndex> {
    if (this.beforeRead) await this.beforeRead();
    await this.ready();
    return this.index!;
  }

  /**
   * Whether the index holds every change up to `latestSeq` (the change log's highest sequence
   * number, read after the caller's transaction began): then it is as current as `current()`
   * would have made it. False while a sync is still applying them.
   */
  isCurrentWith(latestSeq: number): boolean {
    return this.index !== null && latestSeq <= this.changeSeq;
  }

  /** The index, current with every committed change. */
  async current(): Promise<CohortIndex> {
    if (this.beforeRead) await this.beforeRead();
    await this.ready();
    const run = this.queue.then(async () => {
      this.changeSeq = await applyCohortChanges(this.db, this.index!, this.changeSeq);
    });
    this.queue = run.catch(() => undefined);
    await run;
    if (this.changeSeq - this.snapshotSeq >= (this.options.snapshotEvery ?? 5_000))
      this.persistInBackground();
    return this.index!;
  }

  /**
   * Writes the index to the snapshot file if it moved since the last one (no-op without a
   * file). Runs in the sync queue, so it never sees a half-applied change.
   */
  async persist(): Promise<void> {
    const file = this.options.snapshotFile;
    if (!file || !this.index || this.changeSeq === this.snapshotSeq) return;
    const run = this.queue.then(async () => {
      // Another call may have written this position while this one waited in the queue.
      if (this.changeSeq === this.snapshotSeq) return;
      const position = await changeLogPosition(this.db, this.changeSeq);
      if (!position) return; // An empty change log: nothing to pin the snapshot to.
      const started = performance.now();
      const { bytes } = await writeIndexSnapshot(file, this.index!, position);
      this.snapshotSeq = position.changeSeq;
      this.log?.info('cohort index snapshot written', {
        changeSeq: position.changeSeq,
        bytes,
        ms: Math.round(performance.now() - started),
      });
    });
    this.queue = run.catch(() => undefined);
    await run;
  }

  /**
   * Brings the index up to date and rewrites the snapshot now, for an erasure: the file on disk
   * must not keep an erased participant's genotypes until the next periodic write.
   */
  async rewriteSnapshot(): Promise<void> {
    if (!this.options.snapshotFile) return;
    try {
      await this.current();
      await this.persist();
    } catch (error) {
      // The erasure itself has committed; a failed rewrite is retried by the next periodic one.
      this.log?.warn('rewriting the cohort index snapshot after an erasure failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private persistInBackground(): void {
    if (!this.options.snapshotFile || this.writing) return;
    this.writing = this.persist()
      .catch((error: unknown) =>
        this.log?.warn('writing the cohort index snapshot failed; the next one retries', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => (this.writing = null));
  }

  /** Loads the snapshot if it exists, checks out and matches the database; true when it did. */
  private async loadSnapshot(): Promise<boolean> {
    const file = this.options.snapshotFile;
    if (!file) return false;
    try {
      const snapshot = await readIndexSnapshot(file);
      if (!snapshot) return false;
      const { changeSeq, fingerprint } = snapshot.position;
      const now = await changeLogPosition(this.db, changeSeq);
      if (!now || now.fingerprint !== fingerprint)
        throw new UnusableSnapshot(
          `change ${changeSeq} is not in this database as it was (restored or another database?)`,
        );
      await initRoaring();
      const index = snapshot.toIndex(await OntologyGraph.load(this.db));
      try {
        // Snapshots hold every source's terms, not the clinician-confirmed ones: read those.
        await loadConfirmedTerms(this.db, index);
        this.changeSeq = await applyCohortChanges(this.db, index, changeSeq);
      } catch (error) {
        index.dispose();
        throw error;
      }
      this.index = index;
      this.snapshotSeq = changeSeq;
      this.origin = 'snapshot';
      return true;
    } catch (error) {
      this.log?.warn('cohort index snapshot not used; rebuilding from the database', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  /** Resolves once any snapshot write running in the background has finished. */
  async settled(): Promise<void> {
    await this.writing;
  }

  /** Frees the index. */
  dispose(): void {
    this.index?.dispose();
    this.index = null;
    this.building = null;
  }
}
