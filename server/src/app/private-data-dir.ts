import fs from 'node:fs';
import path from 'node:path';

/** Modes for everything under DATA_DIR: only the service account may read or enter. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the data directory owner-only (0700) and tightens whatever is already inside it:
 * directories 0700, files and sockets 0600. The directory holds the embedded database (all
 * participant data), the embedded chain and, by default, the secrets key file, so nobody else on
 * the machine may read any of it. Symbolic links are left alone (their targets are not ours to
 * change). Runs at every start, so a directory made by an older version or copied in with a
 * permissive umask is fixed too. Returns how many modes it changed.
 */
export function securePrivateDir(dir: string): number {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let changed = 0;
  const tighten = (target: string, mode: number) => {
    const stat = fs.lstatSync(target);
    if ((stat.mode & 0o777) !== mode) {
      fs.chmodSync(target, mode);
      changed += 1;
    }
  };
  const walk = (current: string) => {
    tighten(current, PRIVATE_DIR_MODE);
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(full);
      else tighten(full, PRIVATE_FILE_MODE);
    }
  };
  walk(dir);
  return changed;
}
