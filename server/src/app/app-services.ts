import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import { CohortCounter } from '../modules/cohorts/cohort-counter.js';
import { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import { preferenceBreakdown } from '../modules/consent/preference-breakdown.js';
import { IngestJobs } from '../modules/datasets/ingest/ingest-jobs.js';

/**
 * What one API process holds besides its database: built once at start-up and handed to every
 * door (GraphQL through its context, the Beacon route, the CLI control socket), so there is one
 * cohort index, one counter with one differencing guard, and one set of ingest jobs.
 */
export interface AppServices {
  /** The chain this instance anchors to; null when none is connected (in-process tests). */
  chain: ChainConnection | null;
  /** The in-memory cohort index. */
  cohorts: CohortEngine;
  /** Every protected count goes through it (engine, guard, settings, budget). */
  counter: CohortCounter;
  /** Ingests started from the portal, running in this instance. */
  ingestJobs: IngestJobs;
}

/** Builds the per-process services; `dispose` frees the index and the guard's memory. */
export function createAppServices(
  db: Database,
  config: Config,
  options: { chain?: ChainConnection | null; log?: Logger; cohorts?: CohortEngine } = {},
): AppServices & { dispose(): void } {
  const cohorts = options.cohorts ?? new CohortEngine(db, options.log);
  const counter = new CohortCounter(cohorts, config.countPrivacy, preferenceBreakdown);
  return {
    chain: options.chain ?? null,
    cohorts,
    counter,
    ingestJobs: new IngestJobs(),
    dispose: () => {
      counter.dispose();
      cohorts.dispose();
    },
  };
}
