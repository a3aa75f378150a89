import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openVcf, readVcf, readVcfHeader } from './read-vcf.js';
import { VcfFormatError } from './vcf-format-error.js';
import type { VcfProgress, VcfReadOptions, VcfRecordBatch, VcfReport } from './vcf-types.js';

const dir = mkdtempSync(join(tmpdir(), 'vcf-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

const HEAD = [
  '##fileformat=VCFv4.3',
  '##INFO=<ID=GENE,Number=1,Type=String,Description="gene">',
  '##INFO=<ID=ANN,Number=.,Type=String,Description="SnpEff">',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
];
const CHROM = '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3';

function file(content: string | Buffer, name = `f${(fileNo += 1)}.vcf`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function vcf(records: string[], header: string[] = [...HEAD, CHROM]): string {
  return `${[...header, ...records].join('\n')}\n`;
}

async function readAll(
  source: string | Readable,
  options: VcfReadOptions = {},
): Promise<{ batches: VcfRecordBatch[]; report: VcfReport }> {
  const batches: VcfRecordBatch[] = [];
  const gen = readVcf(source, options);
  for (;;) {
    const r = await gen.next();
    if (r.done) return { batches, report: r.value };
    batches.push(r.value);
  }
}

async function failure(
  source: string | Readable,
  options: VcfReadOptions = {},
): Promise<VcfFormatError> {
  try {
    await readAll(source, options);
  } catch (err) {
    expect(err).toBeInstanceOf(VcfFormatError);
    return err as VcfFormatError;
  }
  throw new Error('expected a VcfFormatError');
}

const BASIC = vcf([
  '1\t100\trs1\tA\tG,T\t50\tPASS\tGENE=BRCA1\tGT:DP\t0/1:10\t1/2:12\t./.:0',
  'chr2\t200\t.\tc\tt\t.\t.\t.\tGT\t0|0\t1|1\t0|1',
  'X\t300\t.\tG\tA\t.\t.\tANN=A|missense_variant|MODERATE|DMD|ENSG1|x,A|intron|LOW|OTHER|ENSG2|x\tGT\t1\t0\t.',
  'MT\t400\t.\tT\t<DEL>,C,*\t.\t.\t.\tGT\t1\t2\t3',
]);

describe('readVcf', () => {
  it('normalises variants and calls; splits multi-allelic records; skips symbolic alleles', async () => {
    const { batches, report } = await readAll(file(BASIC));
    expect(batches).toHaveLength(1);
    const [b] = batches;
    const variants = b!.variants.map(
      (v) => `${v.chrom}-${v.pos}-${v.ref}-${v.alt}:${v.gene ?? ''}`,
    );
    expect(variants).toEqual([
      '1-100-A-G:BRCA1',
      '1-100-A-T:BRCA1',
      '2-200-C-T:',
      'X-300-G-A:DMD',
      'MT-400-T-C:',
    ]);
    const calls = b!.calls.map(
      (c) =>
        `${b!.variants[c.variant]!.alt}@${b!.variants[c.variant]!.pos}:${c.sample}:${c.genotype}:${c.zygosity}`,
    );
    expect(calls).toEqual([
      'G@100:S1:0/1:het',
      'G@100:S2:1/2:het',
      'T@100:S2:1/2:het',
      'T@200:S2:1|1:hom',
      'T@200:S3:0|1:het',
      'A@300:S1:1:hemi',
      'C@400:S2:2:hemi',
    ]);
    expect(b!.calls[2]!.altIndex).toBe(2);
    expect(report).toMatchObject({
      fileformat: 'VCFv4.3',
      samples: 3,
      records: 4,
      variants: 5,
      calls: 7,
      skipped: { 'symbolic-allele': 1, 'spanning-deletion': 1, 'call-on-skipped-allele': 2 },
      compressed: false,
    });
    expect(report.skippedExamples['symbolic-allele']).toEqual([10]);
  });

  it('reads gzip and multi-member bgzip-style files the same as plain text', async () => {
    const plain = await readAll(file(BASIC));
    const gz = await readAll(file(gzipSync(BASIC), 'g.vcf.gz'));
    const text = Buffer.from(BASIC);
    // bgzip writes a series of independent gzip members, ending with an empty one.
    const members = [0, 100, 250, 400].map((s, i, a) =>
      gzipSync(text.subarray(s, a[i + 1] ?? text.length)),
    );
    const bgz = await readAll(
      file(Buffer.concat([...members, gzipSync(Buffer.alloc(0))]), 'b.vcf.gz'),
    );
    expect(gz.batches).toEqual(plain.batches);
    expect(bgz.batches).toEqual(plain.batches);
    expect(bgz.report.compressed).toBe(true);
    expect(bgz.report.bytesRead).toBe(
      Buffer.concat([...members, gzipSync(Buffer.alloc(0))]).length,
    );
  });

  it('reads a stream, accepts CRLF line endings and reports progress', async () => {
    const progress: VcfProgress[] = [];
    const crlf = Buffer.from(BASIC.replace(/\n/g, '\r\n'));
    const { batches } = await readAll(Readable.from([crlf]), {
      onProgress: (p) => progress.push(p),
      totalBytes: crlf.length,
    });
    expect(batches[0]!.calls.map((c) => c.genotype)).toContain('0|1');
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({
      done: true,
      percent: 100,
      records: 4,
      calls: 7,
      bytesRead: crlf.length,
    });
  });

  it('cuts batches at record boundaries; call.variant indexes its own batch', async () => {
    const records = Array.from(
      { length: 7 },
      (_, i) => `1\t${1000 + i}\t.\tA\tG,C\t.\t.\t.\tGT\t0/1\t2/2\t0/0`,
    );
    const { batches } = await readAll(file(vcf(records)), { batchRecords: 3 });
    expect(batches.map((b) => b.variants.length)).toEqual([6, 6, 2]);
    for (const b of batches) {
      for (const c of b.calls) expect(b.variants[c.variant]!.altIndex).toBe(c.altIndex);
    }
    expect(batches[1]).toMatchObject({ firstLine: 10, lastLine: 12 });
  });

  it('takes genes from ANN, then INFO/GENE, then the gene map', async () => {
    const { batches } = await readAll(
      file(
        vcf([
          '1\t10\t.\tA\tG,T\t.\t.\tANN=T|x|x|TGENE|x,G|x|x|GGENE|x\tGT\t0/1\t0/0\t0/0',
          '1\t20\t.\tA\tG,T\t.\t.\tGENE=ONE,TWO\tGT\t0/1\t0/0\t0/0',
          '1\t30\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
          'chr1\t40\t.\tA\tC\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
        ]),
      ),
      {
        geneMap: new Map([
          ['1-30-A-G', 'MAPPED'],
          ['1-40', 'BYPOS'],
        ]),
      },
    );
    expect(batches[0]!.variants.map((v) => v.gene)).toEqual([
      'GGENE',
      'TGENE',
      'ONE',
      'TWO',
      'MAPPED',
      'BYPOS',
    ]);
  });

  it('can skip filtered records and contigs outside the allow-list', async () => {
    const { report } = await readAll(
      file(
        vcf([
          '1\t10\t.\tA\tG\t.\tq10\t.\tGT\t0/1\t0/0\t0/0',
          'GL000220.1\t5\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\t0/0',
        ]),
      ),
      { passOnly: true, skipDisallowedContigs: true },
    );
    expect(report.skipped).toEqual({ filtered: 1, 'contig-not-allowed': 1 });
    expect(report.variants).toBe(0);
  });

  it('gives the header without reading records', async () => {
    const header = await readVcfHeader(
      file(vcf([], [...HEAD, '##contig=<ID=1,length=248956422>', '##contig=<ID=2>', CHROM])),
    );
    expect(header).toEqual({
      fileformat: 'VCFv4.3',
      samples: ['S1', 'S2', 'S3'],
      contigs: [{ id: '1', length: 248956422 }, { id: '2' }],
      lines: 8,
    });
  });
});

describe('readVcf refuses bad input, naming the line', () => {
  it('a truncated gzip file', async () => {
    const many = vcf(
      Array.from({ length: 3000 }, (_, i) => `1\t${i + 1}\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t1/1`),
    );
    const gz = gzipSync(many);
    const err = await failure(file(gz.subarray(0, Math.floor(gz.length * 0.6)), 't.vcf.gz'));
    expect(err.reason).toMatch(/gzip data is truncated or corrupt/);
    expect(err.line).toBeGreaterThan(6);
    expect(err.line).toBeLessThan(3006);
  });

  it('a missing #CHROM line', async () => {
    const err = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.'], HEAD)));
    expect(err).toMatchObject({ line: 6, reason: expect.stringMatching(/missing #CHROM/) });
    const empty = await failure(file(`${HEAD.join('\n')}\n`));
    expect(empty.reason).toMatch(/missing #CHROM/);
  });

  it('a missing fileformat line', async () => {
    const err = await failure(file(vcf([], [CHROM])));
    expect(err).toMatchObject({ line: 1, reason: expect.stringMatching(/fileformat/) });
  });

  it('duplicate sample names', async () => {
    const err = await failure(file(vcf([], [...HEAD, `${CHROM}\tS2`])));
    expect(err).toMatchObject({ line: 6, reason: 'duplicate sample name "S2"' });
  });

  it('a genotype allele index beyond the ALT alleles', async () => {
    const err = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/2\t0/0'])));
    expect(err.line).toBe(7);
    expect(err.reason).toMatch(
      /sample #2 has genotype 0\/2, whose allele 2 exceeds the 1 ALT allele/,
    );
  });

  it('a malformed genotype', async () => {
    const err = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0-1\t0/0'])));
    expect(err).toMatchObject({ line: 7, reason: 'sample #2 has a malformed genotype "0-1"' });
  });

  it('a non-numeric POS', async () => {
    const err = await failure(
      file(
        vcf([
          '1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
          '1\t1e3\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
        ]),
      ),
    );
    expect(err).toMatchObject({ line: 8, reason: 'POS "1e3" is not a positive integer' });
  });

  it('an unknown contig: undeclared in the header, or outside the allow-list', async () => {
    const declared = await failure(
      file(
        vcf(['3\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'], [...HEAD, '##contig=<ID=1>', CHROM]),
      ),
    );
    expect(declared).toMatchObject({
      line: 8,
      reason: 'contig "3" is not declared by a ##contig header line',
    });
    const human = await failure(
      file(vcf(['chrUn_KI270302v1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])),
    );
    expect(human.reason).toMatch(/not in the list of accepted contigs/);
    const custom = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])), {
      contigs: new Set(['chr1']),
    });
    expect(custom.line).toBe(7);
    const any = await readAll(file(vcf(['scaffold9\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])), {
      contigs: 'any',
    });
    expect(any.report.variants).toBe(1);
  });

  it('a 10 MB line, without buffering it', async () => {
    const huge = `1\t10\t.\tA\tG\t.\t.\t${'X'.repeat(10 * 1024 * 1024)}\tGT\t0/1\t0/0\t0/0`;
    const before = process.memoryUsage().arrayBuffers;
    const err = await failure(file(vcf(['1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0', huge])));
    expect(err).toMatchObject({
      line: 8,
      reason: `line is longer than the ${8 * 1024 * 1024} byte limit`,
    });
    const small = await failure(file(vcf([huge])), { maxLineBytes: 1024 });
    expect(small.reason).toMatch(/longer than the 1024 byte limit/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('bytes that are not UTF-8', async () => {
    const good = Buffer.from(vcf(['1\t10\t.\tA\tG\t.\t.\tGENE=ÅÖ\tGT\t0/1\t0/0\t0/0']));
    expect((await readAll(file(good))).batches[0]!.variants[0]!.gene).toBe('ÅÖ');
    const bad = Buffer.concat([
      Buffer.from(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])),
      Buffer.from('1\t11\t.\tA\tG\t.\t.\tGENE='),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\tGT\t0/1\t0/0\t0/0\n'),
    ]);
    const err = await failure(file(bad));
    expect(err).toMatchObject({ line: 8, reason: 'line contains bytes that are not valid UTF-8' });
  });

  it('REF or ALT that are not bases', async () => {
    const ref = await failure(file(vcf(['1\t10\t.\tR\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])));
    expect(ref).toMatchObject({ line: 7, reason: 'REF "R" is not a sequence of A, C, G, T, N' });
    const alt = await failure(file(vcf(['1\t10\t.\tA\tG,X1\t.\t.\t.\tGT\t0/1\t0/0\t0/0'])));
    expect(alt.reason).toBe('ALT "X1" is not a sequence of A, C, G, T, N');
  });

  it('fewer (or more) sample columns than the header', async () => {
    const fewer = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0'])));
    expect(fewer).toMatchObject({
      line: 7,
      reason: 'the record has 2 sample columns but the header names 3 samples',
    });
    const none = await failure(file(vcf(['1\t10\t.\tA\tG\t.\t.\t.'])));
    expect(none.reason).toBe('the record has 0 sample columns but the header names 3 samples');
    const more = await failure(
      file(vcf(['1\t10\t.\tA\tG\t.\t.\t.\tGT:DP\t0/1:1\t0/0:1\t0/0:1\t0/0:1'])),
    );
    expect(more.reason).toMatch(/more sample columns/);
  });

  it('yields nothing from a bad record: batches before it are whole, the error comes first', async () => {
    const records = [
      '1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
      '1\t11\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0',
      '1\t12\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/3\t0/0',
    ];
    const reader = await openVcf(file(vcf(records)), { batchRecords: 1 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of reader.batches()) seen.push(b.lastLine);
      })(),
    ).rejects.toMatchObject({ line: 9 });
    expect(seen).toEqual([7, 8]);
  });
});
