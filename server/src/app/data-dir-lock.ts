import fs from 'node:fs';
import path from 'node:path';
import { acquirePidLock, PidLockHeldError, readPidLock } from '@consentome/contracts-client';

/** What the process holding the embedded database writes into its lock file. */
export interface LockInfo {
  pid: number;
  /** Unix socket where a running server accepts CLI commands (absent for a CLI holder). */
  controlSocket?: string;
}

/** The lock file guarding an embedded data directory. */
export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'consentome.lock');
}

/** The live holder of the data directory, if any (a stale lock from a killed process is ignored). */
export function readLock(dataDir: string): LockInfo | null {
  return readPidLock<LockInfo & { [detail: string]: unknown }>(lockPath(dataDir));
}

/**
 * Takes the data directory for this process. PGlite allows one process per directory, so a
 * second opener must route through the holder instead (see control-socket.ts). The lock is the
 * same pid lock the embedded chain takes on its own directory.
 */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid'> = {}): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return acquirePidLock(lockPath(dataDir), { ...info });
  } catch (error) {
    if (!(error instanceof PidLockHeldError)) throw error;
    throw new Error(`The data directory ${dataDir} is in use by process ${error.holder.pid}.`);
  }
}
