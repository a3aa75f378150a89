import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateRepeats } from './deflate-repeats.js';

/** Deterministic pseudo-random numbers (a test must fail the same way twice). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

/** Genotype-like text: `\t0/0` columns with a few others, record lines of various lengths. */
function genotypeText(seed: number, bytes: number): Buffer {
  const next = random(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const columns = 1 + Math.floor(next() * 5000);
    let line = `1\t${Math.floor(next() * 1e8)}\t.\tA\tG\t.\tPASS\tGENE=BRCA1\tGT`;
    for (let c = 0; c < columns; c++) {
      const r = next();
      line +=
        r < 0.01 ? '\t0/1' : r < 0.012 ? '\t1/1' : r < 0.014 ? '\t1' : r < 0.02 ? '\t./.' : '\t0/0';
    }
    parts.push(`${line}\n`);
    length += line.length + 1;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, bytes);
}

describe('deflateRepeats', () => {
  it('inflates back to genotype text of every length up to a BGZF block, and compresses it', () => {
    for (const [seed, bytes] of [
      [1, 0xff00],
      [2, 40_000],
      [3, 1234],
      [4, 77],
    ] as const) {
      const data = genotypeText(seed, bytes);
      const deflated = deflateRepeats(data);
      expect(deflated).not.toBeNull();
      expect(inflateRawSync(deflated!).equals(data)).toBe(true);
      // A short piece is mostly fixed columns; long ones are mostly hom-ref runs.
      if (bytes > 1000) expect(deflated!.length).toBeLessThan(data.length / 8);
    }
  });

  it('covers runs of every length around a match’s 258-byte limit, with 1- and 2-byte tails', () => {
    for (let run = 0; run <= 1040; run++) {
      const data = Buffer.concat([
        Buffer.from('ABCD', 'latin1'),
        Buffer.from('ABCD'.repeat(260), 'latin1').subarray(0, run),
        Buffer.from('xyz', 'latin1'),
      ]);
      const deflated = deflateRepeats(data);
      expect(deflated, `run ${run}`).not.toBeNull();
      expect(inflateRawSync(deflated!).equals(data), `run ${run}`).toBe(true);
    }
  });

  it('encodes data at any byte offset (compared word by word or byte by byte) identically', () => {
    const text = genotypeText(5, 0xff00 + 8);
    const expected = Buffer.from(deflateRepeats(text.subarray(0, 0xff00))!);
    for (let offset = 1; offset < 8; offset++) {
      // A copy at `offset` into a fresh buffer: aligned to 4 bytes only when offset is 4.
      const shifted = Buffer.alloc(0xff00 + offset);
      text.copy(shifted, offset, 0, 0xff00);
      const data = shifted.subarray(offset);
      const deflated = deflateRepeats(data);
      expect(deflated!.equals(expected), `offset ${offset}`).toBe(true);
      expect(inflateRawSync(deflated!).equals(data), `offset ${offset}`).toBe(true);
    }
  });

  it('writes every byte value as a literal, including the 9-bit codes above 143', () => {
    const data = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.alloc(4096, 0xf1),
    ]);
    const deflated = deflateRepeats(data);
    expect(inflateRawSync(deflated!).equals(data)).toBe(true);
  });

  it('handles empty data and refuses data that does not repeat every four bytes', () => {
    expect(inflateRawSync(deflateRepeats(Buffer.alloc(0))!).length).toBe(0);
    const next = random(9);
    const noise = Buffer.from(Array.from({ length: 0xff00 }, () => Math.floor(next() * 256)));
    expect(deflateRepeats(noise)).toBeNull();
  });
});
