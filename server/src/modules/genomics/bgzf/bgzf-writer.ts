import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, gzip } from 'node:zlib';
import { deflateRepeats } from './deflate-repeats.js';

const gzipAsync = promisify(gzip);

/** Uncompressed bytes per block: htslib's choice, so a block of any data compresses below 64 KiB. */
export const BGZF_BLOCK_INPUT = 0xff00;

/** The empty block that ends every BGZF file (SAM/BAM spec § 4.1.2), so readers know it is whole. */
export const BGZF_EOF = Buffer.from(
  '1f8b08040000000000ff0600424302001b0003000000000000000000',
  'hex',
);

/**
 * A position in a BGZF file as tabix and BAM indexes record it: the file offset of a block's
 * start and the offset inside that block's uncompressed data (the spec's "virtual offset",
 * `block << 16 | within`, kept as two numbers so files above 2^37 bytes stay exact).
 */
export interface VirtualOffset {
  block: number;
  within: number;
}

/**
 * A position while the file is written: the block's sequence number instead of its file offset,
 * which is known only once the blocks before it are compressed (`BgzfWriter.resolve`).
 */
export type PendingOffset = VirtualOffset;

/** Blocks compressed at once (zlib runs them on libuv's thread pool, in parallel). */
const IN_FLIGHT = 4;

/**
 * One BGZF block: a gzip member whose header carries the `BC` extra field with the block's total
 * size minus one. Data that repeats every four bytes (an export's genotype columns) is deflated
 * here by `deflateRepeats`, far faster than zlib; anything else by zlib on libuv's thread pool,
 * whose plain 10-byte gzip header is swapped for the BGZF one.
 */
async function bgzfBlock(data: Buffer, level: number): Promise<Buffer> {
  const repeats = deflateRepeats(data);
  if (repeats) return bgzfMember(repeats, crc32(data), data.length);
  const member = await gzipAsync(data, { level });
  return bgzfMember(
    member.subarray(10, member.length - 8),
    member.readUInt32LE(member.length - 8),
    data.length,
  );
}

/** A BGZF block from raw deflate data and the uncompressed data's CRC-32 and size. */
function bgzfMember(deflated: Buffer, crc: number, size: number): Buffer {
  const total = 18 + deflated.length + 8;
  if (total > 0x10000) throw new Error('BGZF block above 64 KiB');
  const block = Buffer.allocUnsafe(total);
  block.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0], 0);
  block.writeUInt16LE(total - 1, 16);
  deflated.copy(block, 18);
  block.writeUInt32LE(crc >>> 0, total - 8);
  block.writeUInt32LE(size, total - 4);
  return block;
}

/**
 * Writes BGZF (blocked gzip, readable by gzip, bgzip, tabix and htslib) to a stream, block by
 * block. Bytes are copied into a block buffer as they come (`append`, synchronous, so a caller
 * can write a record in many small pieces cheaply); a full block goes to zlib on libuv's thread
 * pool and its buffer back to a small pool when compressed. Memory stays at `IN_FLIGHT + 1`
 * blocks whatever the file's size, as long as the caller awaits `drain` when `append` asks it
 * to. Tracks the virtual offset of the next byte for an index, and the SHA-256 and size of the
 * compressed output.
 */
export class BgzfWriter {
  private block: Buffer = Buffer.allocUnsafe(BGZF_BLOCK_INPUT);
  private fill = 0;
  /** Block buffers whose compression finished, for reuse. */
  private readonly spare: Buffer[] = [];
  private written = 0;
  private readonly hash = createHash('sha256');
  private finished = false;
  /** Blocks being compressed, oldest first; written to the stream in this order. */
  private readonly compressing: Promise<Buffer>[] = [];
  /** The file offset of each block's start, by sequence number (and the end, last). */
  private readonly blockStarts: number[] = [];
  private blocks = 0;

  constructor(
    private readonly out: Writable,
    private readonly level = 6,
  ) {}

  /** Where the next byte written will be (resolve it once the file is finished). */
  position(): PendingOffset {
    return { block: this.blocks, within: this.fill };
  }

  /** The virtual offset of a position taken while writing; valid after `finish`. */
  resolve(position: PendingOffset): VirtualOffset {
    if (!this.finished) throw new Error('BGZF offsets are known once the file is finished');
    return { block: this.blockStarts[position.block]!, within: position.within };
  }

  /**
   * Copies `bytes[start, end)` into the file without waiting. Returns true when enough blocks
   * are waiting for compression that the caller should `await drain()` before appending more.
   */
  append(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    if (this.finished) throw new Error('BGZF writer already finished');
    while (start < end) {
      const n = Math.min(end - start, BGZF_BLOCK_INPUT - this.fill);
      this.block.set(bytes.subarray(start, start + n), this.fill);
      this.fill += n;
      start += n;
      // Sealed as soon as the block is full, so position() never points past a block's end.
      if (this.fill === BGZF_BLOCK_INPUT) this.seal();
    }
    return this.compressing.length >= IN_FLIGHT;
  }

  /** `append` for text (UTF-8). */
  appendText(text: string): boolean {
    const room = BGZF_BLOCK_INPUT - this.fill;
    // Short text (every record's fixed columns) is encoded straight into the block.
    if (text.length * 3 <= room) {
      if (this.finished) throw new Error('BGZF writer already finished');
      this.fill += this.block.write(text, this.fill, 'utf8');
      if (this.fill === BGZF_BLOCK_INPUT) this.seal();
      return this.compressing.length >= IN_FLIGHT;
    }
    return this.append(Buffer.from(text, 'utf8'));
  }

  /** Waits until fewer than `IN_FLIGHT` blocks are being compressed, writing the oldest out. */
  async drain(): Promise<void> {
    while (this.compressing.length >= IN_FLIGHT) await this.emit(await this.compressing.shift()!);
  }

  /** Appends bytes; resolves once the blocks waiting for compression are few enough. */
  async write(data: Buffer | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let start = 0; start < bytes.length; start += BGZF_BLOCK_INPUT)
      if (this.append(bytes, start, Math.min(bytes.length, start + BGZF_BLOCK_INPUT)))
        await this.drain();
  }

  /** Ends the pending data's block (records after it start a new block). */
  async flush(): Promise<void> {
    this.seal();
    await this.drain();
  }

  /** Writes the last block and the EOF marker; the stream is left open for the caller. */
  async finish(): Promise<{ bytes: number; sha256: string }> {
    this.seal();
    while (this.compressing.length) await this.emit(await this.compressing.shift()!);
    this.blockStarts.push(this.written);
    await this.emit(BGZF_EOF);
    this.finished = true;
    return { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Sends the filled part of the block to compression and takes a fresh buffer. */
  private seal(): void {
    if (this.fill === 0) return;
    const buffer = this.block;
    const block = bgzfBlock(buffer.subarray(0, this.fill), this.level).finally(() =>
      this.spare.push(buffer),
    );
    // Settled later, in order; a failure surfaces when its turn comes (or at finish).
    block.catch(() => {});
    this.compressing.push(block);
    this.blocks++;
    this.block = this.spare.pop() ?? Buffer.allocUnsafe(BGZF_BLOCK_INPUT);
    this.fill = 0;
  }

  private async emit(block: Buffer): Promise<void> {
    if (block !== BGZF_EOF) this.blockStarts.push(this.written);
    this.hash.update(block);
    this.written += block.length;
    if (!this.out.write(block))
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          this.out.off('drain', onDrain);
          reject(error);
        };
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
  }
}
