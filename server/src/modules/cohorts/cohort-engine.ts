import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import type { CohortIndex } from './cohort-index.js';
import { applyCohortChanges, buildCohortIndex } from './cohort-index-loader.js';

/**
 * Owns the process's cohort index: builds it once, and before every query applies whatever the
 * change log recorded since (one short query when nothing changed). Syncs run one at a time.
 */
export class CohortEngine {
  private index: CohortIndex | null = null;
  private changeSeq = 0;
  private building: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly log?: Logger,
  ) {}

  /** Builds the index (once); later calls wait for the same build. */
  ready(): Promise<void> {
    this.building ??= (async () => {
      const started = performance.now();
      const built = await buildCohortIndex(this.db);
      this.index = built.index;
      this.changeSeq = built.changeSeq;
      this.log?.info('cohort index built', {
        ...built.index.stats(),
        ms: Math.round(performance.now() - started),
      });
    })();
    return this.building;
  }

  /** The index, current with every committed change. */
  async current(): Promise<CohortIndex> {
    await this.ready();
    const run = this.queue.then(async () => {
      this.changeSeq = await applyCohortChanges(this.db, this.index!, this.changeSeq);
    });
    this.queue = run.catch(() => undefined);
    await run;
    return this.index!;
  }

  /** Frees the index. */
  dispose(): void {
    this.index?.dispose();
    this.index = null;
    this.building = null;
  }
}
