import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createGraphQLServer } from '../http/yoga.js';
import type { Logger } from '../lib/logger.js';
import { hasDemoAccounts, isDatabaseEmpty, seedDemo } from '../modules/demo/seed-demo.js';
import { demoAccountLines } from '../cli/database-commands.js';
import { acquireLock } from './data-dir-lock.js';
import { controlSocketPath, databaseLocation } from './database-location.js';
import { listenControlSocket } from './control-socket.js';

/** A running API server. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, seeds the demo into an empty embedded database, and serves
 * GraphQL. On the embedded database it also takes the data-directory lock and opens the control
 * socket, so `npx consentome …` works while it runs.
 */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const embedded = !config.databaseUrl;
  const socketPath = controlSocketPath(config);
  const releaseLock = embedded
    ? acquireLock(config.dataDir, { controlSocket: socketPath })
    : () => {};
  const handle = await openDatabase(databaseLocation(config));
  try {
    await migrateDatabase(handle);
    if (config.demoSeed && (await isDatabaseEmpty(handle.db))) {
      await seedDemo(handle.db);
      log.info('seeded demo data into the empty database');
    }
    if (config.demoSeed && (await hasDemoAccounts(handle.db))) {
      demoAccountLines().forEach((line) => process.stdout.write(`${line}\n`));
    }
  } catch (error) {
    await handle.close();
    releaseLock();
    throw error;
  }
  const closeControl = embedded ? await listenControlSocket(socketPath, handle) : async () => {};
  const yoga = createGraphQLServer(handle.db, config);
  const server = http.createServer(yoga);
  await new Promise<void>((resolve) => server.listen(config.apiPort, config.apiHost, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.apiHost}:${port}/graphql`;
  log.info(`API listening on ${url}`, { driver: handle.kind });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeControl();
      await handle.close();
      releaseLock();
    },
  };
}
