import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BgzfWriter } from '../../genomics/bgzf/bgzf-writer.js';
import {
  addCarriers,
  ColumnLookup,
  RecordWriter,
  SampleGroupsBuilder,
  type VariantRow,
} from './export-vcf.js';

/** Deterministic pseudo-random numbers (a test must fail the same way twice). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

interface Call {
  column: number | null;
  zygosity: number;
  d: number;
}

/**
 * The record as the export wrote it before records were patched from hom-ref runs: every
 * genotype formatted one by one, the call with more alternate alleles winning, 0/0 where one of
 * the sample's datasets had the site and ./. where none did.
 */
function referenceRecord(v: VariantRow, calls: Call[], datasetsOf: number[][]): string {
  const covered = new Set(calls.map((c) => c.d));
  const zygosity = new Array<number>(datasetsOf.length).fill(0);
  for (const c of calls) {
    if (c.column === null) continue;
    const z = zygosity[c.column]!;
    if (z < c.zygosity && !(z === 2 && c.zygosity === 3)) zygosity[c.column] = c.zygosity;
  }
  const genotypes = zygosity.map((z, i) =>
    z === 1
      ? '0/1'
      : z === 2
        ? '1/1'
        : z === 3
          ? '1'
          : datasetsOf[i]!.some((d) => covered.has(d))
            ? '0/0'
            : './.',
  );
  const info = v.gene ? `GENE=${v.gene}` : '.';
  return `${[v.chrom, v.pos, '.', v.ref, v.alt, '.', 'PASS', info, 'GT', ...genotypes].join('\t')}\n`;
}

describe('export records patched from hom-ref runs', () => {
  it('equal the genotype-by-genotype formatting, ./. and line ends included', async () => {
    const next = random(19);
    // More columns than one hom-ref run buffer and one BGZF block hold, so runs are split.
    const samples = 40_000;
    const datasetCount = 3;
    // Each sample in none, one or several of the granted datasets.
    const datasetsOf = Array.from({ length: samples }, () => {
      const r = next();
      return r < 0.05 ? [] : r < 0.5 ? [0] : r < 0.8 ? [1] : r < 0.9 ? [2] : [0, 2];
    });
    const groups = new SampleGroupsBuilder(samples);
    datasetsOf.forEach((ds, column) => {
      if (ds.length) groups.assign(column, groups.group([...ds].reverse()));
    });
    const variants: { v: VariantRow; calls: Call[] }[] = [];
    for (let i = 0; i < 40; i++) {
      const calls: Call[] = [];
      // Some sites in one dataset only (./. for samples of the others), the first column and
      // the last, hemizygous calls, the same sample in two datasets, others' calls.
      const only = i % 4 === 0 ? Math.floor(next() * datasetCount) : -1;
      const edges = i % 5 === 0 ? [0, samples - 1] : [];
      for (const column of [
        ...edges,
        ...Array.from({ length: 30 }, () => Math.floor(next() * samples)),
      ]) {
        const ds = datasetsOf[column]!.filter((d) => only < 0 || d === only);
        if (!ds.length) continue;
        for (const d of ds) calls.push({ column, zygosity: 1 + Math.floor(next() * 3), d });
      }
      calls.push({
        column: null,
        zygosity: 1,
        d: only < 0 ? Math.floor(next() * datasetCount) : only,
      });
      variants.push({
        v: {
          id: i,
          chrom: i < 30 ? '1' : 'X',
          pos: 1000 + i,
          ref: 'A',
          alt: 'T',
          gene: i % 3 ? null : 'GÉNE',
        },
        calls,
      });
    }
    const out = new PassThrough();
    const bytes = buffer(out);
    const vcf = new BgzfWriter(out);
    const record = new RecordWriter(vcf, samples, datasetCount, groups.build());
    for (const { v, calls } of variants) {
      for (const c of calls) record.add(c.column, c.zygosity, c.d);
      await record.write(v);
    }
    await vcf.finish();
    out.end();
    const written = gunzipSync(await bytes).toString('utf8');
    const expected = variants.map(({ v, calls }) => referenceRecord(v, calls, datasetsOf)).join('');
    expect(written.length).toBe(expected.length);
    expect(written === expected).toBe(true);
    // The test reaches what it means to: ./., hemizygous and both ends of lines are there.
    expect(written).toContain('\t./.');
    expect(written).toMatch(/\t1\t/);
    expect(written.split('\n').filter(Boolean)).toHaveLength(40);
  });

  it('reads a call set from its carrier text (het;hom;hemi), skipping participants not exported', async () => {
    // Columns 0..3 are participants 40, 7, 1234567 and 12; 99 and 5 are not exported.
    const columns = new ColumnLookup([
      { num: 40, sampleId: 'a' },
      { num: 7, sampleId: 'b' },
      { num: 1234567, sampleId: 'c' },
      { num: 12, sampleId: 'd' },
    ]);
    const groups = new SampleGroupsBuilder(4);
    const both = groups.group([0, 1]);
    for (const column of [0, 1, 2]) groups.assign(column, both);
    groups.assign(3, groups.group([1]));
    const out = new PassThrough();
    const bytes = buffer(out);
    const vcf = new BgzfWriter(out);
    const record = new RecordWriter(vcf, 4, 2, groups.build());
    const v = { id: 1, chrom: '2', pos: 5, ref: 'C', alt: 'A', gene: null };
    addCarriers(record, columns, '7,99;1234567;5', 0);
    await record.write(v);
    // Empty lists, and a hemizygous call only: dataset 1 has no call, so column 3 is ./.
    addCarriers(record, columns, ';;40', 0);
    await record.write(v);
    await vcf.finish();
    out.end();
    expect(gunzipSync(await bytes).toString('utf8')).toBe(
      '2\t5\t.\tC\tA\t.\tPASS\t.\tGT\t0/0\t0/1\t1/1\t./.\n' +
        '2\t5\t.\tC\tA\t.\tPASS\t.\tGT\t1\t0/0\t0/0\t./.\n',
    );
    // Anything but digits, commas and semicolons is refused rather than misread.
    expect(() => addCarriers(record, columns, '{7,40}', 0)).toThrow('Unexpected character');
    expect(() => addCarriers(record, columns, '7,-40', 0)).toThrow('Unexpected character');
  });
});
