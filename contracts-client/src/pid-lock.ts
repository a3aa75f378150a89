import fs from 'node:fs';

/** What a lock file says about its holder. */
export interface PidLockInfo {
  pid: number;
  [detail: string]: unknown;
}

/** The lock is held by another live process. */
export class PidLockHeldError extends Error {
  constructor(
    readonly file: string,
    readonly holder: PidLockInfo,
  ) {
    super(`${file} is held by process ${holder.pid}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live holder of a lock file, or null when there is none: no file, an unreadable one, or
 * one left by a process that died (kill -9 leaves its lock behind). Reads the JSON written by
 * `acquirePidLock`, and a bare process id as older embedded chains wrote it.
 */
export function readPidLock<T extends PidLockInfo = PidLockInfo>(file: string): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  let info: T;
  try {
    info = (/^\d+$/.test(text) ? { pid: Number(text) } : JSON.parse(text)) as T;
  } catch {
    return null;
  }
  return Number.isInteger(info.pid) && info.pid > 0 && isAlive(info.pid) ? info : null;
}

/**
 * Takes a lock file for this process (0600, with `details` beside the pid), so a second process
 * cannot open the same store and fork its history. Throws PidLockHeldError when a live process
 * holds it. With `reentrant`, this process's own earlier lock is taken over (the embedded chain
 * is reopened in one process after a simulated crash); without it, a second opener in the same
 * process is refused too. Answers the release, which removes the file only while it is ours.
 */
export function acquirePidLock(
  file: string,
  details: Record<string, unknown> = {},
  options: { reentrant?: boolean } = {},
): () => void {
  const holder = readPidLock(file);
  if (holder && !(options.reentrant && holder.pid === process.pid)) {
    throw new PidLockHeldError(file, holder);
  }
  fs.writeFileSync(file, JSON.stringify({ ...details, pid: process.pid }), { mode: 0o600 });
  return () => {
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as PidLockInfo;
      if (current.pid === process.pid) fs.unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
