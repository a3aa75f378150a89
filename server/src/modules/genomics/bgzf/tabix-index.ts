import { BgzfWriter, type PendingOffset, type VirtualOffset } from './bgzf-writer.js';
import type { Writable } from 'node:stream';

/** Linear-index window: 16 kbp (tabix spec). */
const WINDOW_SHIFT = 14;
/** The pseudo-bin holding a reference's span and record counts (htslib writes it; readers use it). */
const PSEUDO_BIN = 37450;

/** The smallest bin of the UCSC binning scheme holding 0-based [beg, end) (SAM spec § 5.3). */
export function regionToBin(beg: number, end: number): number {
  const last = end - 1;
  if (beg >> 14 === last >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === last >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === last >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === last >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === last >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
}

interface Chunk {
  start: PendingOffset;
  end: PendingOffset;
}

interface Reference {
  name: string;
  bins: Map<number, Chunk[]>;
  /** Per 16 kbp window, the first record overlapping it (undefined until one does). */
  linear: (PendingOffset | undefined)[];
  first: PendingOffset;
  last: PendingOffset;
  records: number;
}

const before = (a: PendingOffset, b: PendingOffset) =>
  a.block < b.block || (a.block === b.block && a.within < b.within);

/**
 * Builds a tabix (.tbi) index for a position-sorted, BGZF-compressed VCF while it is written:
 * `add` each record with its virtual start and end offsets. Memory is a few numbers per bin and
 * per 16 kbp window, whatever the number of samples. Format: the tabix spec (htslib
 * `tabix.pdf`), VCF preset (sequence column 1, position column 2, end from REF's length, `#`
 * for meta lines).
 */
export class TabixIndexBuilder {
  private readonly refs: Reference[] = [];
  private current: Reference | null = null;
  /** The chunk being extended: consecutive records in the same bin share one. */
  private open: { bin: number; chunk: Chunk } | null = null;

  /**
   * Records a VCF record at 1-based `pos` with `refLength` reference bases, at the positions
   * the data's `BgzfWriter` gave before and after writing it.
   */
  add(chrom: string, pos: number, refLength: number, start: PendingOffset, end: PendingOffset) {
    if (!this.current || this.current.name !== chrom) {
      if (this.refs.some((r) => r.name === chrom))
        throw new Error(`Records of ${chrom} are not contiguous; the file must be sorted`);
      this.closeChunk();
      this.current = {
        name: chrom,
        bins: new Map(),
        linear: [],
        first: start,
        last: end,
        records: 0,
      };
      this.refs.push(this.current);
    }
    const ref = this.current;
    const beg = pos - 1;
    const stop = beg + Math.max(refLength, 1);
    const bin = regionToBin(beg, stop);
    if (this.open && this.open.bin === bin) this.open.chunk.end = end;
    else {
      this.closeChunk();
      this.open = { bin, chunk: { start, end } };
    }
    for (let w = beg >> WINDOW_SHIFT; w <= (stop - 1) >> WINDOW_SHIFT; w++)
      if (!ref.linear[w] || before(start, ref.linear[w]!)) ref.linear[w] = start;
    ref.last = end;
    ref.records++;
  }

  private closeChunk() {
    if (!this.open || !this.current) return;
    const chunks = this.current.bins.get(this.open.bin) ?? [];
    const previous = chunks.at(-1);
    // Adjacent chunks of one bin merge: a reader then seeks once instead of twice.
    if (previous && !before(previous.end, this.open.chunk.start))
      previous.end = this.open.chunk.end;
    else chunks.push(this.open.chunk);
    this.current.bins.set(this.open.bin, chunks);
    this.open = null;
  }

  /**
   * Writes the index, BGZF-compressed as tabix expects, to `out`; returns its size and hash.
   * `resolve` turns the positions given to `add` into file offsets (the finished data writer's
   * `resolve`).
   */
  async write(
    out: Writable,
    resolve: (position: PendingOffset) => VirtualOffset,
  ): Promise<{ bytes: number; sha256: string }> {
    this.closeChunk();
    const names = Buffer.concat(this.refs.map((r) => Buffer.from(`${r.name}\0`, 'utf8')));
    const head = Buffer.alloc(36);
    head.write('TBI\x01', 0, 'latin1');
    head.writeInt32LE(this.refs.length, 4);
    head.writeInt32LE(2, 8); // format: VCF
    head.writeInt32LE(1, 12); // sequence column
    head.writeInt32LE(2, 16); // begin column
    head.writeInt32LE(0, 20); // end column: none, REF's length
    head.writeInt32LE('#'.charCodeAt(0), 24); // meta lines start with #
    head.writeInt32LE(0, 28); // lines to skip
    head.writeInt32LE(names.length, 32);
    const bgzf = new BgzfWriter(out);
    await bgzf.write(Buffer.concat([head, names]));
    for (const ref of this.refs) await bgzf.write(referenceIndex(ref, resolve));
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(0n); // records without coordinates
    await bgzf.write(tail);
    return bgzf.finish();
  }
}

/**
 * One reference's binning index (with the pseudo-bin) and its gap-filled linear index, written
 * into one buffer sized up front (a reference spanning a chromosome has ~15,000 windows: a
 * buffer and a BigInt per number took longer than the rest of the index).
 */
function referenceIndex(
  ref: Reference,
  resolve: (position: PendingOffset) => VirtualOffset,
): Buffer {
  const bins = [...ref.bins].sort((a, b) => a[0] - b[0]);
  const chunkCount = bins.reduce((sum, [, chunks]) => sum + chunks.length, 0);
  const out = Buffer.alloc(
    4 + 8 * bins.length + 16 * chunkCount + 8 + 32 + 4 + 8 * ref.linear.length,
  );
  // A DataView: Buffer's writeUInt32LE checks its arguments on every call, a third of the time.
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  let at = 0;
  const int32 = (n: number) => {
    view.setInt32(at, n, true);
    at += 4;
  };
  const uint32 = (n: number) => {
    view.setUint32(at, n, true);
    at += 4;
  };
  const uint64 = (n: number) => {
    view.setUint32(at, n % 0x1_0000_0000, true);
    view.setUint32(at + 4, Math.floor(n / 0x1_0000_0000), true);
    at += 8;
  };
  // The spec's `block << 16 | within`, as two 32-bit halves (exact for files up to 2^48 bytes).
  const offset = (position: PendingOffset) => {
    const { block, within } = resolve(position);
    view.setUint32(at, ((block % 0x1_0000) * 0x1_0000 + within) >>> 0, true);
    view.setUint32(at + 4, Math.floor(block / 0x1_0000), true);
    at += 8;
  };
  int32(ref.bins.size + 1);
  for (const [bin, chunks] of bins) {
    uint32(bin);
    int32(chunks.length);
    for (const c of chunks) {
      offset(c.start);
      offset(c.end);
    }
  }
  uint32(PSEUDO_BIN);
  int32(2);
  offset(ref.first);
  offset(ref.last);
  uint64(ref.records);
  uint64(0);
  // Windows no record overlaps take the next window's offset (as htslib fills them): reading
  // from there misses nothing, since nothing starts earlier in that window.
  const linear = ref.linear;
  for (let w = linear.length - 2; w >= 0; w--) if (!linear[w]) linear[w] = linear[w + 1];
  int32(linear.length);
  for (const v of linear) offset(v!);
  if (at !== out.length) throw new Error('tabix reference index size miscounted');
  return out;
}
