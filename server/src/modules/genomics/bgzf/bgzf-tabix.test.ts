import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BGZF_BLOCK_INPUT, BGZF_EOF, BgzfWriter } from './bgzf-writer.js';
import { deflateRepeats } from './deflate-repeats.js';
import { TabixIndexBuilder, regionToBin } from './tabix-index.js';

/** Debian's htslib tools (`apt-get install tabix`, in .ci/run) read what we write. */
const tabix = (...args: string[]) =>
  execFileSync('tabix', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/**
 * Narrow records (20 samples, a carrier in 7: zlib compresses them) or wide ones (2,000 samples,
 * a carrier in 97: mostly hom-ref runs, which `deflateRepeats` encodes).
 */
const SHAPES = {
  narrow: { samples: 20, perContig: 3000, every: 7 },
  wide: { samples: 2000, perContig: 300, every: 97 },
};
type Shape = (typeof SHAPES)[keyof typeof SHAPES];

/** A sorted VCF of two contigs, long enough to span many BGZF blocks, with a deletion. */
function records(shape: Shape): { chrom: string; pos: number; ref: string; line: string }[] {
  const out = [];
  for (const chrom of ['1', '2'])
    for (let i = 0; i < shape.perContig; i++) {
      const pos = 1000 + i * 997;
      const ref = i % 50 === 0 ? 'ACGTACGTAC' : 'A';
      const genotypes = Array.from({ length: shape.samples }, (_, s) =>
        (s + i) % shape.every === 0 ? '0/1' : '0/0',
      );
      out.push({
        chrom,
        pos,
        ref,
        line: [chrom, pos, '.', ref, 'G', '.', 'PASS', '.', 'GT', ...genotypes].join('\t'),
      });
    }
  return out;
}

const header = (shape: Shape) =>
  [
    '##fileformat=VCFv4.3',
    '##contig=<ID=1>',
    '##contig=<ID=2>',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT']
      .concat(Array.from({ length: shape.samples }, (_, s) => `S${s}`))
      .join('\t'),
  ].join('\n');

async function writeVcf(dir: string, shape: Shape) {
  const HEADER = header(shape);
  const file = path.join(dir, `test-${shape.samples}.vcf.gz`);
  const out = fs.createWriteStream(file);
  const bgzf = new BgzfWriter(out);
  const index = new TabixIndexBuilder();
  await bgzf.write(`${HEADER}\n`);
  await bgzf.flush();
  const all = records(shape);
  for (const r of all) {
    const start = bgzf.position();
    await bgzf.write(`${r.line}\n`);
    index.add(r.chrom, r.pos, r.ref.length, start, bgzf.position());
  }
  const written = await bgzf.finish();
  await new Promise((resolve) => out.end(resolve));
  const indexOut = fs.createWriteStream(`${file}.tbi`);
  await index.write(indexOut, (position) => bgzf.resolve(position));
  await new Promise((resolve) => indexOut.end(resolve));
  return { file, all, written };
}

describe('BGZF writer and tabix index', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgzf-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(SHAPES))(
    '%s records: gzip-readable BGZF blocks of at most 64 KiB with the BC field, ending in the EOF block',
    async (_, shape) => {
      const HEADER = header(shape);
      const { file, all, written } = await writeVcf(dir, shape);
      const bytes = fs.readFileSync(file);
      expect(written.bytes).toBe(bytes.length);
      expect(gunzipSync(bytes).toString()).toBe(
        `${HEADER}\n${all.map((r) => `${r.line}\n`).join('')}`,
      );
      expect(bytes.subarray(bytes.length - 28).equals(BGZF_EOF)).toBe(true);
      let offset = 0;
      let blocks = 0;
      while (offset < bytes.length) {
        expect(bytes.readUInt32BE(offset)).toBe(0x1f8b0804);
        expect(bytes.subarray(offset + 12, offset + 14).toString('latin1')).toBe('BC');
        const size = bytes.readUInt16LE(offset + 16) + 1;
        expect(size).toBeLessThanOrEqual(65536);
        expect(bytes.readUInt32LE(offset + size - 4)).toBeLessThanOrEqual(BGZF_BLOCK_INPUT);
        offset += size;
        blocks++;
      }
      expect(offset).toBe(bytes.length);
      expect(blocks).toBeGreaterThan(5);
      // The shape reaches the encoder it is meant to: wide records through deflateRepeats.
      const sample = gunzipSync(bytes).subarray(
        HEADER.length + 1,
        HEADER.length + 1 + BGZF_BLOCK_INPUT,
      );
      expect(deflateRepeats(sample) !== null).toBe(shape.samples > 20);
      execFileSync('bgzip', ['--test', file]);
    },
  );

  it.each(Object.entries(SHAPES))(
    '%s records: an index tabix reads: contigs, regions, deletions reaching into a region',
    async (_, shape) => {
      const HEADER = header(shape);
      const { file, all } = await writeVcf(dir, shape);
      expect(tabix('-l', file).trim().split('\n')).toEqual(['1', '2']);
      const expected = (chrom: string, beg: number, end: number) =>
        all
          .filter((r) => r.chrom === chrom && r.pos <= end && r.pos + r.ref.length - 1 >= beg)
          .map((r) => r.line);
      for (const [chrom, beg, end] of [
        ['1', 1000, 1000],
        ['1', 500_000, 900_000],
        ['2', 1, 3_000_000],
        // Record 2:50850 spans 10 bases: a query from 50855 still finds it.
        ['2', 50_855, 50_856],
        ['2', 200_001, 201_000],
        ['2', 2_000_001, 2_001_000],
      ] as const) {
        const got = tabix(file, `${chrom}:${beg}-${end}`).split('\n').filter(Boolean);
        expect(got, `${chrom}:${beg}-${end}`).toEqual(expected(chrom, beg, end));
      }
      expect(expected('2', 50_855, 50_856)).toHaveLength(1);
      expect(tabix('-H', file)).toBe(`${HEADER}\n`);
    },
  );

  it('refuses a file whose contigs are not contiguous', () => {
    const index = new TabixIndexBuilder();
    const at = { block: 0, within: 0 };
    index.add('1', 10, 1, at, at);
    index.add('2', 10, 1, at, at);
    expect(() => index.add('1', 20, 1, at, at)).toThrow(/not contiguous/);
  });

  it('bins regions as the SAM spec does', () => {
    expect(regionToBin(0, 1)).toBe(4681);
    expect(regionToBin(16384, 16385)).toBe(4682);
    expect(regionToBin(16383, 16385)).toBe(585);
    expect(regionToBin(0, 1 << 29)).toBe(0);
  });
});
