import fs from 'node:fs';
import path from 'node:path';

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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the data directory, if any (a stale lock from a killed process is ignored). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process. PGlite allows one process per directory, so a
 * second opener must route through the holder instead (see control-socket.ts).
 */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid'> = {}): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const holder = readLock(dataDir);
  if (holder) {
    throw new Error(`The data directory ${dataDir} is in use by process ${holder.pid}.`);
  }
  const file = lockPath(dataDir);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, ...info }), { mode: 0o600 });
  return () => {
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      if (current.pid === process.pid) fs.unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
