import path from 'node:path';
import type { Config } from '../config.js';
import type { DatabaseLocation } from '../db/open-database.js';

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite under DATA_DIR. */
export function databaseLocation(config: Config): DatabaseLocation {
  return config.databaseUrl
    ? { url: config.databaseUrl, prepare: config.databasePrepare }
    : { pgliteDir: path.join(config.dataDir, 'pglite') };
}

/** True when this process would open a store under DATA_DIR that allows one process only. */
export function usesEmbeddedStore(config: Config): boolean {
  return !config.databaseUrl || config.embeddedChain;
}

/** The control socket of a server that holds the embedded stores. */
export function controlSocketPath(config: Config): string {
  return path.join(config.dataDir, 'control.sock');
}
