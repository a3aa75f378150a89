import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { normaliseChrom } from '../vcf/contigs.js';

/** One ungapped block of a chain: target [tStart, tStart+size) maps to query [qStart, qStart+size). */
interface Block {
  tStart: number;
  size: number;
  qStart: number;
  qChrom: string;
  qSize: number;
  reverse: boolean;
}

/** Where a 1-based position of the source build lands on the target build. */
export interface LiftedPosition {
  chrom: string;
  /** 1-based. */
  pos: number;
  /** The target maps to the opposite strand: alleles must be complemented. */
  reverse: boolean;
}

/** A chain file that cannot be read: the operator's configuration, not the participant's file. */
export class ChainFileError extends Error {}

/**
 * Coordinate conversion between genome builds with a UCSC chain file (the format of
 * hg19ToHg38.over.chain.gz): the same mapping as UCSC liftOver for single positions. Blocks are
 * kept per chromosome, sorted, and found by binary search; a position in a gap between blocks, or
 * on no chain, does not map (liftOver's "deleted in new").
 */
export class ChainLiftover {
  private readonly blocks = new Map<string, Block[]>();

  private constructor() {}

  /** Reads a chain file (plain or gzip). */
  static async fromFile(path: string): Promise<ChainLiftover> {
    let bytes = await readFile(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    return ChainLiftover.fromText(bytes.toString('utf8'));
  }

  /** Parses the text of a chain file. */
  static fromText(text: string): ChainLiftover {
    const lift = new ChainLiftover();
    let chain: {
      tChrom: string;
      t: number;
      q: number;
      qChrom: string;
      qSize: number;
      reverse: boolean;
    } | null = null;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i += 1) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const f = line.split(/\s+/);
      if (f[0] === 'chain') {
        if (f.length < 12 || f[4] !== '+')
          throw new ChainFileError(`chain file line ${i + 1}: not a chain header`);
        chain = {
          tChrom: normaliseChrom(f[2]!),
          t: Number(f[5]),
          qChrom: normaliseChrom(f[7]!),
          qSize: Number(f[8]),
          reverse: f[9] === '-',
          q: Number(f[10]),
        };
        continue;
      }
      if (!chain) throw new ChainFileError(`chain file line ${i + 1}: block before any chain`);
      const [size, dt, dq] = f.map(Number);
      if (!Number.isInteger(size) || size! <= 0)
        throw new ChainFileError(`chain file line ${i + 1}: not a block`);
      const list = lift.blocks.get(chain.tChrom) ?? [];
      list.push({
        tStart: chain.t,
        size: size!,
        qStart: chain.q,
        qChrom: chain.qChrom,
        qSize: chain.qSize,
        reverse: chain.reverse,
      });
      lift.blocks.set(chain.tChrom, list);
      if (f.length === 1) chain = null;
      else {
        chain.t += size! + dt!;
        chain.q += size! + dq!;
      }
    }
    for (const list of lift.blocks.values()) list.sort((a, b) => a.tStart - b.tStart);
    return lift;
  }

  /** The target position of a 1-based source position, or null when it does not map. */
  map(chrom: string, pos: number): LiftedPosition | null {
    const list = this.blocks.get(normaliseChrom(chrom));
    if (!list) return null;
    const at = pos - 1;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = list[mid]!;
      if (at < b.tStart) hi = mid - 1;
      else if (at >= b.tStart + b.size) lo = mid + 1;
      else {
        const q = b.qStart + (at - b.tStart);
        // On a reverse chain, query coordinates count from the end of the query chromosome.
        const forward = b.reverse ? b.qSize - q - 1 : q;
        return { chrom: b.qChrom, pos: forward + 1, reverse: b.reverse };
      }
    }
    return null;
  }
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };

/** The reverse complement of a run of bases. */
export function reverseComplement(bases: string): string {
  let out = '';
  for (let i = bases.length - 1; i >= 0; i -= 1) out += COMPLEMENT[bases[i]!.toUpperCase()] ?? 'N';
  return out;
}
