import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** A file being written: bytes go to `stream`; nothing is visible under its key until `commit`. */
export interface FileUpload {
  /** Where the bytes go (respect its back-pressure: wait for 'drain' when `write` says false). */
  readonly stream: Writable;
  /** Ends the stream and makes the file visible under its key, replacing nothing (keys are new). */
  commit(): Promise<void>;
  /** Drops what was written; safe to call after a failure, and after `commit` it does nothing. */
  abort(): Promise<void>;
}

/**
 * Where large files live outside the database (exports): a local directory under DATA_DIR, or
 * any store that can write a file once and read byte ranges of it (an S3-compatible bucket fits
 * the same four calls; none is implemented because no S3 client is a dependency).
 */
export interface FileStore {
  /** Starts writing a new file under `key` (letters, digits, `._-` and `/`; no `..`). */
  create(key: string): Promise<FileUpload>;
  /** The size in bytes of the file under `key`, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** The bytes `start`..`end` (both inclusive) of the file; the whole file without a range. */
  read(key: string, range?: { start: number; end: number }): Readable;
  /** Deletes the file if it exists. */
  remove(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** A half-written file untouched this long is a crashed writer's leftover (an hour). */
const PARTIAL_MAX_AGE_MS = 60 * 60 * 1000;

/** Refuses keys that could leave the store's root or name a hidden or temporary file. */
function checkedKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part.includes('..')))
    throw new Error(`Not a valid file key: ${JSON.stringify(key)}`);
  return key;
}

/**
 * Files in a directory (0700, files 0600: they hold participant data). A file is written under a
 * temporary name and renamed into place on commit, so a reader never sees half a file and a crash
 * leaves only `.partial-*` files, which `sweepPartials` removes.
 */
export class LocalFileStore implements FileStore {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    fs.chmodSync(root, 0o700);
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkedKey(key).split('/'));
  }

  async create(key: string): Promise<FileUpload> {
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const partial = path.join(
      path.dirname(target),
      `.partial-${randomBytes(6).toString('hex')}-${path.basename(target)}`,
    );
    const stream = fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' });
    let done = false;
    const closed = new Promise<void>((resolve, reject) => {
      stream.once('close', resolve);
      stream.once('error', reject);
    });
    return {
      stream,
      commit: async () => {
        stream.end();
        await closed;
        done = true;
        try {
          // link + unlink, not rename: link fails when the key exists, so nothing is replaced.
          await fs.promises.link(partial, target);
        } finally {
          await fs.promises.rm(partial, { force: true });
        }
      },
      abort: async () => {
        if (done) return;
        done = true;
        stream.destroy();
        await closed.catch(() => {});
        await fs.promises.rm(partial, { force: true });
      },
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.pathOf(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(
      this.pathOf(key),
      range ? { start: range.start, end: range.end } : {},
    );
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  /**
   * Removes files a crashed writer left half-written (run at start-up). Only those untouched
   * for `olderThanMs`: API instances may share the folder, and another one's export being
   * written right now is not a leftover.
   */
  async sweepPartials(olderThanMs = PARTIAL_MAX_AGE_MS): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    const entries = await fs.promises.readdir(this.root, { recursive: true, withFileTypes: true });
    for (const entry of entries)
      if (entry.isFile() && entry.name.startsWith('.partial-')) {
        const file = path.join(entry.parentPath, entry.name);
        const stat = await fs.promises.stat(file).catch(() => null);
        if (!stat || stat.mtimeMs > cutoff) continue;
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    return removed;
  }
}

let processRoot: string | null = null;

/**
 * The store of a process without a data directory of its own (tests, embedded in-memory runs):
 * a private temporary directory per call, all under one per-process folder removed at exit. Its
 * files do not outlive the process, exactly like an in-memory database's rows.
 */
export function temporaryFileStore(): LocalFileStore {
  if (!processRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-files-'));
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    processRoot = root;
  }
  return new LocalFileStore(fs.mkdtempSync(path.join(processRoot, 'store-')));
}
