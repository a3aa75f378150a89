import { count } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { applyLatestLinkedDecisions, type LinkedDecisionsLedger } from './linked-decisions.js';
import { participantSiteLinks } from './participant-links.tables.js';

/** What the applier reads of the chain: the linked decisions, and the latest block height. */
export type LinkedDecisionsSource = LinkedDecisionsLedger & {
  height(): Promise<number>;
};

/**
 * Runs `applyLatestLinkedDecisions` before reads of the cohort index, one run at a time (each
 * read waits for its own run, started after the one under way, so it sees every decision on
 * chain before it began), and only when something can have changed: chain state changes only
 * with a new block, and this site's links only with a new row. A read at the same height with
 * the same links as the last complete run costs one count and one height query instead of
 * several chain queries per linked participant. The height is read before the run, so a block
 * committed during it makes the next read run again; a failed run is not remembered.
 */
export class LinkedDecisionsApplier {
  private queue: Promise<unknown> = Promise.resolve();
  /** `height:links` of the last complete run. */
  private appliedAt: string | null = null;

  constructor(
    private readonly db: Database,
    private readonly chain: LinkedDecisionsSource,
  ) {}

  /** Applies what linked sites signed since the last run; answers how many participants changed. */
  applyLatest(): Promise<number> {
    const run = this.queue.then(() => this.applyIfMoved());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyIfMoved(): Promise<number> {
    const [row] = await this.db.select({ links: count() }).from(participantSiteLinks);
    const links = row?.links ?? 0;
    if (links === 0) return 0;
    const at = `${await this.chain.height()}:${links}`;
    if (at === this.appliedAt) return 0;
    const changed = await applyLatestLinkedDecisions(this.db, this.chain);
    this.appliedAt = at;
    return changed;
  }
}
