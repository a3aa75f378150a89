import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/**
 * An append-only file of checksummed JSON lines: `<sha256 hex of json> <json>\n`.
 *
 * A record is durable once `append` resolves (written, then fdatasync). A crash mid-append leaves
 * a tail without its newline: `readLineLog` reports it as torn and `openLineLog` cuts it off, so
 * the next append starts on a clean line. A complete line whose checksum does not match is not a
 * torn write but corruption, and is reported as such rather than silently skipped.
 */

export class LogCorruptError extends Error {
  override readonly name = 'LogCorruptError';
}

export interface LineLogContents<T> {
  records: T[];
  /** Bytes up to the end of the last complete, valid line. */
  validBytes: number;
  /** Bytes after that (a torn final write), ignored. */
  tornBytes: number;
}

export function encodeLogLine(record: unknown): Buffer {
  const json = JSON.stringify(record);
  const hash = createHash('sha256').update(json, 'utf8').digest('hex');
  return Buffer.from(`${hash} ${json}\n`, 'utf8');
}

function decodeLogLine<T>(line: Buffer, path: string, offset: number): T {
  const text = line.toString('utf8');
  const hash = text.slice(0, 64);
  const json = text.slice(65);
  if (text[64] !== ' ' || createHash('sha256').update(json, 'utf8').digest('hex') !== hash) {
    throw new LogCorruptError(`${path}: corrupt record at byte ${offset} (checksum mismatch)`);
  }
  return JSON.parse(json) as T;
}

/** Reads every complete record; a missing file reads as empty. */
export function readLineLog<T>(path: string): LineLogContents<T> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], validBytes: 0, tornBytes: 0 };
    throw err;
  }
  try {
    const records: T[] = [];
    const chunk = Buffer.alloc(4 << 20);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let validBytes = 0;
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      let start = 0;
      for (
        let nl = chunk.indexOf(0x0a, start);
        nl !== -1 && nl < n;
        nl = chunk.indexOf(0x0a, start)
      ) {
        const piece = chunk.subarray(start, nl);
        const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
        records.push(decodeLogLine<T>(line, path, validBytes));
        validBytes += pendingBytes + piece.length + 1;
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start < n) {
        pending.push(Buffer.from(chunk.subarray(start, n)));
        pendingBytes += n - start;
      }
    }
    return { records, validBytes, tornBytes: pendingBytes };
  } finally {
    closeSync(fd);
  }
}

export class LineLog {
  /** Set when a failed append could not be cut back: the file may end in a partial line. */
  failed = false;

  private constructor(
    private readonly fh: FileHandle,
    private size: number,
  ) {}

  /** Opens for appending after `validBytes`, cutting off a torn tail. */
  static async open(path: string, validBytes: number): Promise<LineLog> {
    const fh = await open(path, 'a+');
    const { size } = await fh.stat();
    if (size !== validBytes) {
      await fh.truncate(validBytes);
      await fh.datasync();
    }
    return new LineLog(fh, validBytes);
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends one record durably; on failure the file is cut back to its previous length. */
  async append(record: unknown): Promise<void> {
    const line = encodeLogLine(record);
    try {
      let written = 0;
      while (written < line.length) {
        const { bytesWritten } = await this.fh.write(
          line,
          written,
          line.length - written,
          this.size + written,
        );
        written += bytesWritten;
      }
      await this.fh.datasync();
      this.size += line.length;
    } catch (err) {
      await this.fh.truncate(this.size).catch(() => {
        this.failed = true;
      });
      throw err;
    }
  }

  /** Empties the log (after its records were folded into a snapshot). */
  async reset(): Promise<void> {
    await this.fh.truncate(0);
    await this.fh.datasync();
    this.size = 0;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** fsync a directory so that a rename or a new file in it survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
