import { createHash } from 'node:crypto';
import { WriteStream } from 'node:fs';
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

/** A BGZF block's gzip header: the `BC` extra field, its 2-byte size (total - 1) at offset 16. */
const BGZF_HEADER = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0]);
/** Compressed bytes gathered before they go to the stream: one write per this much output. */
const OUTPUT_BYTES = 0x40000;

/**
 * A BGZF block compressed by zlib on libuv's thread pool (data that `deflateRepeats` refuses: a
 * header, an index), its plain 10-byte gzip header swapped for the BGZF one.
 */
async function zlibBlock(data: Buffer, level: number): Promise<Buffer> {
  const member = await gzipAsync(data, { level });
  const deflated = member.subarray(10, member.length - 8);
  const block = Buffer.allocUnsafe(memberSize(deflated.length));
  writeMember(block, 0, deflated, member.readUInt32LE(member.length - 8), data.length);
  return block;
}

/** The size of a BGZF block holding `deflated` bytes of deflate data. */
function memberSize(deflated: number): number {
  const total = 18 + deflated + 8;
  if (total > 0x10000) throw new Error('BGZF block above 64 KiB');
  return total;
}

/** Writes a BGZF block (header, raw deflate data, CRC-32 and size) into `out` at `at`. */
function writeMember(out: Buffer, at: number, deflated: Uint8Array, crc: number, size: number) {
  const total = memberSize(deflated.length);
  out.set(BGZF_HEADER, at);
  out.writeUInt16LE(total - 1, at + 16);
  out.set(deflated, at + 18);
  out.writeUInt32LE(crc >>> 0, at + total - 8);
  out.writeUInt32LE(size, at + total - 4);
}

/**
 * Writes BGZF (blocked gzip, readable by gzip, bgzip, tabix and htslib) to a stream, block by
 * block. Bytes are copied into a block buffer as they come (`append`, synchronous, so a caller
 * can write a record in many small pieces cheaply). A full block that repeats every four bytes
 * (an export's genotype columns) is deflated at once by `deflateRepeats`, straight into an output
 * buffer; any other goes to zlib on libuv's thread pool. Compressed blocks leave in order, a
 * quarter MiB per stream write (from buffers reused once a file stream has written them): no
 * allocation per block, so a long export leaves little garbage for the collector to let pile up.
 * Memory stays at a few blocks and output buffers whatever the file's size, as long as the
 * caller awaits `drain` when `append` asks it to. Tracks the virtual offset of the next byte for
 * an index, and the SHA-256 and size of the compressed output.
 */
export class BgzfWriter {
  private block: Buffer = Buffer.allocUnsafe(BGZF_BLOCK_INPUT);
  private fill = 0;
  /** Block buffers whose compression finished, for reuse. */
  private readonly spare: Buffer[] = [];
  private written = 0;
  private readonly hash = createHash('sha256');
  private finished = false;
  /**
   * Blocks not yet in the output, oldest first: zlib's under way, and any encoded while one of
   * those was (copied, since they must wait their turn).
   */
  private readonly queue: (Buffer | Promise<Buffer>)[] = [];
  /** The file offset of each block's start, by sequence number (and the end, last). */
  private readonly blockStarts: number[] = [];
  private blocks = 0;
  /** Compressed blocks gathered for the next stream write. */
  private output: Buffer = Buffer.allocUnsafe(OUTPUT_BYTES);
  private outputFill = 0;
  /**
   * Output buffers the stream has finished with. Only a file stream is known to be done with a
   * chunk when its write's callback comes (the bytes are in the file); other streams may hand the
   * very buffer on (a PassThrough's reader, a collector), so theirs are never reused.
   */
  private readonly spareOutput: Buffer[] = [];
  private readonly reuseOutput: boolean;
  private streamError: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly level = 6,
  ) {
    this.reuseOutput = out instanceof WriteStream;
  }

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
   * Copies `bytes[start, end)` into the file without waiting. Returns true when the caller
   * should `await drain()` before appending more (blocks waiting for zlib, or the stream full).
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
    return this.mustWait();
  }

  /** `append` for text (UTF-8). */
  appendText(text: string): boolean {
    const room = BGZF_BLOCK_INPUT - this.fill;
    // Short text (every record's fixed columns) is encoded straight into the block.
    if (text.length * 3 <= room) {
      if (this.finished) throw new Error('BGZF writer already finished');
      this.fill += this.block.write(text, this.fill, 'utf8');
      if (this.fill === BGZF_BLOCK_INPUT) this.seal();
      return this.mustWait();
    }
    return this.append(Buffer.from(text, 'utf8'));
  }

  /**
   * Waits until fewer than `IN_FLIGHT` blocks are with zlib (putting the oldest in the output)
   * and the stream has room again.
   */
  async drain(): Promise<void> {
    while (this.queue.length >= IN_FLIGHT) this.emit(await this.queue.shift()!);
    await this.streamRoom();
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
    while (this.queue.length) this.emit(await this.queue.shift()!);
    this.blockStarts.push(this.written);
    this.put(BGZF_EOF);
    this.writeOutput();
    await this.streamRoom();
    this.finished = true;
    return { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /**
   * Whether the caller must `drain` now. A failed or destroyed stream counts: it never asks for a
   * drain (`writableNeedDrain` is false once destroyed), and blocks encoded at once never fill
   * the queue, so without this an export would run to its end before learning of the failure.
   */
  private mustWait(): boolean {
    return (
      this.queue.length >= IN_FLIGHT ||
      this.out.writableNeedDrain ||
      this.streamError !== null ||
      this.out.errored !== null ||
      this.out.destroyed
    );
  }

  /** Compresses the filled part of the block, or sends it to zlib, and starts an empty one. */
  private seal(): void {
    if (this.fill === 0) return;
    const data = this.block.subarray(0, this.fill);
    const repeats = deflateRepeats(data);
    if (repeats) {
      if (this.queue.length) {
        const block = Buffer.allocUnsafe(memberSize(repeats.length));
        writeMember(block, 0, repeats, crc32(data), data.length);
        this.queue.push(block);
      } else {
        this.blockStarts.push(this.written);
        const size = memberSize(repeats.length);
        this.reserve(size);
        writeMember(this.output, this.outputFill, repeats, crc32(data), data.length);
        this.outputFill += size;
        this.written += size;
      }
    } else {
      const buffer = this.block;
      const block = zlibBlock(data, this.level).finally(() => this.spare.push(buffer));
      // Settled later, in order; a failure surfaces when its turn comes (or at finish).
      block.catch(() => {});
      this.queue.push(block);
      this.block = this.spare.pop() ?? Buffer.allocUnsafe(BGZF_BLOCK_INPUT);
    }
    this.blocks++;
    this.fill = 0;
  }

  /** Puts a whole compressed block (its turn come) in the output. */
  private emit(block: Buffer): void {
    this.blockStarts.push(this.written);
    this.put(block);
  }

  private put(bytes: Buffer): void {
    this.reserve(bytes.length);
    bytes.copy(this.output, this.outputFill);
    this.outputFill += bytes.length;
    this.written += bytes.length;
  }

  /** Makes room for `size` bytes in the output buffer, writing it out first if need be. */
  private reserve(size: number): void {
    if (this.outputFill + size > this.output.length) this.writeOutput();
  }

  /** Hands the gathered output to the stream; its buffer is reused once the stream is done. */
  private writeOutput(): void {
    if (this.outputFill === 0) return;
    const buffer = this.output;
    const chunk = buffer.subarray(0, this.outputFill);
    this.hash.update(chunk);
    this.out.write(chunk, (error) => {
      if (error) this.streamError ??= error;
      else if (this.reuseOutput) this.spareOutput.push(buffer);
    });
    this.output = this.spareOutput.pop() ?? Buffer.allocUnsafe(OUTPUT_BYTES);
    this.outputFill = 0;
  }

  /**
   * Waits for the stream's `drain` while it needs one (asked afresh: the event may have come
   * while we awaited zlib); fails with the stream's error, or when it is destroyed (without an
   * error, as a closed connection is, neither `drain` nor `error` would ever come).
   */
  private async streamRoom(): Promise<void> {
    const failed = this.streamError ?? this.out.errored;
    if (failed) throw failed;
    if (this.out.destroyed) throw destroyedError();
    if (!this.out.writableNeedDrain) return;
    await new Promise<void>((resolve, reject) => {
      const settle = (error: Error | null) => {
        this.out.off('drain', onDrain);
        this.out.off('error', onError);
        this.out.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle(null);
      const onError = (error: Error) => settle(error);
      const onClose = () => settle(this.out.errored ?? destroyedError());
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
      this.out.once('close', onClose);
    });
    if (this.streamError) throw this.streamError;
  }
}

function destroyedError(): Error {
  return new Error('The BGZF output stream was destroyed before the file was written');
}
