import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { AppServices } from '../graphql/context.js';
import type { Logger } from '../lib/logger.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import { CohortCounter } from '../modules/cohorts/cohort-counter.js';
import { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import { preferenceBreakdown } from '../modules/cohorts/preference-breakdown.js';
import { IngestJobs } from '../modules/datasets/ingest/ingest-jobs.js';
import { createMailPort, type MailPort } from '../modules/notifications/mail-port.js';
import { createLogger } from '../lib/logger.js';
import { temporaryFileStore, type FileStore } from '../lib/file-store.js';
import { MemberRegistry } from '../modules/federation/member-registry.js';
import { LinkedDecisionsApplier } from '../modules/federation/linked-decisions-applier.js';

export type { AppServices };

/**
 * Builds the per-process services (`AppServices`) once: every door gets these instances, so
 * there is one cohort index and one counter with one differencing guard. `dispose` frees the
 * index and the guard's memory.
 */
export function createAppServices(
  db: Database,
  config: Config,
  options: {
    chain?: ChainConnection | null;
    /** This process's background outbox relay, if it runs one (woken after GraphQL writes). */
    relay?: { wake(): Promise<void> } | null;
    log?: Logger;
    cohorts?: CohortEngine;
    /** Where uploads wait for their ingest (0700); default a private temporary folder. */
    uploadsDir?: string;
    /** The cohort index's snapshot file (DATA_DIR/cohort-index.snapshot); none in tests. */
    cohortSnapshotFile?: string;
    /** Where export files live (`dataFileStore`); default a private temporary folder. */
    files?: FileStore;
    /** Outbound e-mail; default SMTP from the configuration, or the log without it. */
    mail?: MailPort;
  } = {},
): AppServices & { dispose(): void } {
  const cohorts =
    options.cohorts ??
    new CohortEngine(db, options.log, { snapshotFile: options.cohortSnapshotFile });
  const linkedDecisions = options.chain
    ? new LinkedDecisionsApplier(db, options.chain.ledger)
    : null;
  if (linkedDecisions) cohorts.beforeEachRead(() => linkedDecisions.applyLatest());
  const counter = new CohortCounter(cohorts, config.countPrivacy, preferenceBreakdown);
  const mail = options.mail ?? createMailPort(config.mail, options.log ?? createLogger('silent'));
  return {
    chain: options.chain ?? null,
    cohorts,
    counter,
    ingestJobs: new IngestJobs(options.log, options.uploadsDir),
    files: options.files ?? temporaryFileStore(),
    mail,
    registry: options.chain ? new MemberRegistry(options.chain.ledger) : null,
    linkedDecisions,
    relay: options.relay ?? null,
    dispose: () => {
      counter.dispose();
      cohorts.dispose();
      // A port handed in belongs to the caller; one made here is closed here.
      if (!options.mail) mail.close();
    },
  };
}
