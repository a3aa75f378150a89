import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VcfFormatError } from './vcf-format-error.js';

/** 8 MiB: a 100k-sample GT-only record is ~400 kB, so this leaves room for rich FORMAT fields. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;

/** Options of `LineReader.open`. */
export interface LineReaderOptions {
  maxLineBytes?: number;
  /** Size of a stream source when the caller knows it. */
  totalBytes?: number;
}

/**
 * Splits a plain or gzip/bgzip byte stream into decoded lines, in chunks. It refuses, with the
 * line number, lines longer than the limit (before buffering more than the limit), bytes that are
 * not UTF-8, and a gzip stream that ends early or is corrupt. A trailing `\r` is dropped, so CRLF
 * files read like LF files.
 */
export class LineReader {
  /** Bytes of the source consumed so far, as stored (compressed when gzip). */
  bytesRead = 0;
  /** Last line number handed out (1-based). */
  lineNumber = 0;
  readonly totalBytes: number | undefined;
  readonly compressed: boolean;
  private readonly maxLineBytes: number;
  private readonly raw: Readable;
  private readonly decoded: Readable;
  private readonly chunks: AsyncIterator<string[]>;

  private constructor(
    raw: Readable,
    decoded: Readable,
    compressed: boolean,
    maxLineBytes: number,
    totalBytes: number | undefined,
  ) {
    this.raw = raw;
    this.decoded = decoded;
    this.compressed = compressed;
    this.maxLineBytes = maxLineBytes;
    this.totalBytes = totalBytes;
    this.chunks = this.split()[Symbol.asyncIterator]();
  }

  /** Opens a path or a byte stream; gzip is recognised by its magic bytes, not the file name. */
  static async open(
    source: string | Readable,
    options: LineReaderOptions = {},
  ): Promise<LineReader> {
    const raw =
      typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
    const totalBytes = typeof source === 'string' ? (await stat(source)).size : options.totalBytes;
    const first = await peek(raw);
    const compressed =
      first !== undefined && first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    // Counted where the stored bytes are consumed, so progress tracks the compressed file.
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        self.bytesRead += chunk.length;
        done(null, chunk);
      },
    });
    // Node's gunzip reads every member of a multi-member stream, which is what bgzip writes.
    const decoded = compressed
      ? pipeline(raw, counter, createGunzip({ chunkSize: 256 * 1024 }), () => {})
      : pipeline(raw, counter, () => {});
    const self = new LineReader(
      raw,
      decoded,
      compressed,
      options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      totalBytes,
    );
    return self;
  }

  /** The next chunk of lines, numbered from `lineNumber + 1`; undefined at the end. */
  async next(): Promise<string[] | undefined> {
    const r = await this.chunks.next();
    return r.done ? undefined : r.value;
  }

  /** Stops reading and releases the file. */
  close(): void {
    this.raw.destroy();
    this.decoded.destroy();
  }

  private async *split(): AsyncGenerator<string[]> {
    const max = this.maxLineBytes;
    const parts: Buffer[] = [];
    let carried = 0;
    try {
      for await (const data of this.decoded) {
        const chunk = data as Buffer;
        const ascii = isAscii(chunk);
        const out: string[] = [];
        let start = 0;
        for (;;) {
          const nl = chunk.indexOf(LF, start);
          const lineNo = this.lineNumber + out.length + 1;
          if (nl === -1) {
            if (start < chunk.length) {
              carried += chunk.length - start;
              if (carried > max) throw tooLong(lineNo, max);
              parts.push(chunk.subarray(start));
            }
            break;
          }
          if (carried === 0) {
            if (nl - start > max) throw tooLong(lineNo, max);
            out.push(decode(chunk, start, nl, ascii, lineNo));
          } else {
            parts.push(chunk.subarray(start, nl));
            const whole = Buffer.concat(parts, carried + nl - start);
            parts.length = 0;
            carried = 0;
            if (whole.length > max) throw tooLong(lineNo, max);
            out.push(decode(whole, 0, whole.length, isAscii(whole), lineNo));
          }
          start = nl + 1;
        }
        if (out.length > 0) {
          this.lineNumber += out.length;
          yield out;
        }
      }
    } catch (err) {
      if (err instanceof VcfFormatError) throw err;
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('Z_')) {
        throw new VcfFormatError(
          this.lineNumber,
          `the gzip data is truncated or corrupt after this line (${(err as Error).message})`,
        );
      }
      throw err;
    }
    if (carried > 0) {
      const whole = Buffer.concat(parts, carried);
      const lineNo = this.lineNumber + 1;
      this.lineNumber = lineNo;
      yield [decode(whole, 0, whole.length, isAscii(whole), lineNo)];
    }
  }
}

function tooLong(line: number, max: number): VcfFormatError {
  return new VcfFormatError(line, `line is longer than the ${max} byte limit`);
}

function decode(buf: Buffer, start: number, end: number, ascii: boolean, line: number): string {
  if (end > start && buf[end - 1] === CR) end -= 1;
  // latin1 decodes pure ASCII identically and faster than the UTF-8 decoder.
  if (ascii) return buf.toString('latin1', start, end);
  const bytes = buf.subarray(start, end);
  if (!isUtf8(bytes))
    throw new VcfFormatError(line, 'line contains bytes that are not valid UTF-8');
  return bytes.toString('utf8');
}

/** Reads the first chunk and puts it back, so the magic bytes can be checked. */
async function peek(raw: Readable): Promise<Buffer | undefined> {
  const chunk = await new Promise<Buffer | undefined>((resolve, reject) => {
    const onReadable = () => {
      cleanup();
      const c = raw.read() as Buffer | string | null;
      const chunk = c === null ? undefined : Buffer.isBuffer(c) ? c : Buffer.from(c);
      // Put it back at once: were 'end' emitted before, unshift would be refused.
      if (chunk) raw.unshift(chunk);
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      raw.off('readable', onReadable);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    raw.once('readable', onReadable);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
  return chunk;
}
