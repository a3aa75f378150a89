import { keepSiteRelyingParty } from '../modules/network/site-relying-party.js';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { startPublicTallySealer } from '../modules/beacon/beacon-public-tally.js';
import type { Logger } from '../lib/logger.js';
import { openChainConnection, type ChainConnection } from '../modules/chain/chain-connection.js';
import { ChainWorker } from '../modules/chain/chain-worker.js';
import { seedDemoNetwork } from '../modules/demo/demo-network.js';
import { hasDemoAccounts, isDatabaseEmpty, seedDemo } from '../modules/demo/seed-demo.js';
import { ensureDefaultDac } from '../modules/review/default-dac.js';
import { systemActor } from '../modules/actors/actor.js';
import { ensureShippedOntologies } from '../modules/ontology/ontology-import.service.js';
import { demoAccountLines } from '../cli/database-commands.js';
import { createMailPort } from '../modules/notifications/mail-port.js';
import { encryptPlaintextSecrets } from '../modules/secrets/server-secrets.js';
import { installSecretsKeyring, loadSecretsKeyring } from '../lib/secrets-keyring.js';
import { createApiHandler } from './api-handler.js';
import { createAppServices } from './app-services.js';
import { acquireLock } from './data-dir-lock.js';
import { securePrivateDir } from './private-data-dir.js';
import { WorkflowWorker } from './workflow-worker.js';
import { controlSocketPath, databaseLocation, usesEmbeddedStore } from './database-location.js';
import { listenControlSocket } from './control-socket.js';
import { dataFileStore } from './data-file-store.js';

/** A running API server. */
export interface RunningServer {
  url: string;
  chain: ChainConnection;
  worker: ChainWorker | null;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, seeds the demo into an empty embedded database, opens the
 * chain, starts the chain worker (audit batches + outbox relay) and serves GraphQL. With an
 * embedded store it also takes the data-directory lock and opens the control socket, so
 * `npx consentome …` works while it runs.
 */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const embedded = usesEmbeddedStore(config);
  securePrivateDir(config.dataDir);
  installSecretsKeyring(loadSecretsKeyring(config.secretsKey));
  const socketPath = controlSocketPath(config);
  const releaseLock = embedded
    ? acquireLock(config.dataDir, { controlSocket: socketPath })
    : () => {};
  const handle = await openDatabase(databaseLocation(config));
  // Exports' files, with any a crashed export left half-written removed.
  const files = dataFileStore(config);
  await files.sweepPartials();
  let chain: ChainConnection;
  try {
    await migrateDatabase(handle);
    const encrypted = await encryptPlaintextSecrets(handle.db);
    if (encrypted)
      log.info('encrypted server secrets stored in clear by an older version', { encrypted });
    if (await ensureShippedOntologies(handle.db, systemActor('startup')))
      log.info('imported the shipped HPO and MONDO subsets');
    if (config.demoSeed && (await isDatabaseEmpty(handle.db))) {
      await seedDemo(handle.db, { files, cohort: config.demoCohort });
      log.info('seeded demo data into the empty database');
    }
    if (await ensureDefaultDac(handle.db, config.review))
      log.info('moved the ethics board to a default data access committee');
    if (config.demoSeed && (await hasDemoAccounts(handle.db))) {
      demoAccountLines().forEach((line) => process.stdout.write(`${line}\n`));
    }
    chain = await openChainConnection(config.dataDir, process.env, config.webauthn);
  } catch (error) {
    await handle.close();
    releaseLock();
    throw error;
  }
  log.info(`chain: ${chain.kind}, contract ${chain.contractAddress}`);
  if (config.demoSeed) {
    // A refusal (e.g. a PUBLIC_URL the contract does not take) leaves the demo without a network.
    await seedDemoNetwork(handle.db, chain, config.publicUrl).then(
      (seeded) => seeded && log.info('seeded a demo network of institutions on the embedded chain'),
      (error: unknown) =>
        log.warn('could not seed the demo network', { error: (error as Error).message }),
    );
  }
  // A member site's passkeys are checked on chain against its own relying party.
  await keepSiteRelyingParty(chain.ledger, config.webauthn).then(
    (set) => set && log.info('set this site’s WebAuthn relying party on chain'),
    (error: unknown) =>
      log.warn('could not set this site’s WebAuthn relying party on chain', {
        error: (error as Error).message,
      }),
  );
  const worker = config.chainRelay
    ? new ChainWorker(handle.db, chain.ledger, log, config.auditBatch)
    : null;
  worker?.start();
  const closeControl = embedded
    ? await listenControlSocket(socketPath, { handle, files, chain: async () => chain })
    : async () => {};
  // Built once: every door (GraphQL, Beacon) counts through the same counter and guard.
  // Uploads wait for their ingest in DATA_DIR/uploads (0700), cleared of a crash's leftovers now.
  const services = createAppServices(handle.db, config, {
    chain,
    relay: worker?.relay ?? null,
    log,
    uploadsDir: path.join(config.dataDir, 'uploads'),
    files,
    cohortSnapshotFile: path.join(config.dataDir, 'cohort-index.snapshot'),
  });
  // Built in the background: the first count waits for it, everything else is served at once.
  services.cohorts
    .ready()
    .catch((error: unknown) =>
      log.error('building the cohort index failed', { error: (error as Error).message }),
    );
  const workflow = new WorkflowWorker(
    handle.db,
    createMailPort(config.mail, log),
    log,
    { cohorts: services.cohorts, when: config.review.consentRequestsWhen },
    config.documents.retentionDays,
  );
  workflow.start();
  // Public Beacon queries are audited one event per client and minute, sealed by this timer.
  const beaconTally = startPublicTallySealer(handle.db, (error) =>
    log.error('sealing the public Beacon tally failed', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const server = http.createServer(createApiHandler(handle.db, config, services, chain, log));
  await new Promise<void>((resolve) => server.listen(config.apiPort, config.apiHost, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.apiHost}:${port}/graphql`;
  log.info(`API listening on ${url}`, { driver: handle.kind });
  return {
    url,
    chain,
    worker,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await beaconTally.stop();
      await worker?.stop();
      await workflow.stop();
      await closeControl();
      await chain.close();
      // The next start loads the index from here instead of rebuilding it.
      await services.cohorts.persist().catch((error: unknown) =>
        log.warn('writing the cohort index snapshot at shutdown failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      services.dispose();
      await handle.close();
      releaseLock();
    },
  };
}
