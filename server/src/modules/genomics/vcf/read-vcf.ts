import type VCFParser from '@gmod/vcf';
import type { Readable } from 'node:stream';
import { DEFAULT_HUMAN_CONTIGS, normaliseChrom } from './contigs.js';
import { geneFromInfo } from './gene-annotation.js';
import { scanGenotypes } from './genotypes.js';
import { LineReader } from './line-reader.js';
import { readHeader } from './vcf-header.js';
import { VcfFormatError } from './vcf-format-error.js';
import type {
  NormalizedVariant,
  VcfHeader,
  VcfProgress,
  VcfReadOptions,
  VcfRecordBatch,
  VcfReport,
  VcfSkipReason,
  Zygosity,
} from './vcf-types.js';

const BASES = /^[ACGTN]+$/i;
const DIGITS = /^[0-9]+$/;
const TAB = '\t';

/** An open VCF: the header is read, records are read on demand through `batches()`. */
export interface VcfReader {
  readonly header: VcfHeader;
  /** Counts so far; final once `batches()` has returned. */
  readonly report: VcfReport;
  /**
   * Reads the records. Every record of a batch has been fully validated before the batch is
   * yielded; the first bad record throws `VcfFormatError` instead. Callable once.
   */
  batches(): AsyncGenerator<VcfRecordBatch, VcfReport, undefined>;
  /** Releases the file when the caller stops early (the generator also does this on return). */
  close(): void;
}

/**
 * Opens a VCF 4.x file (plain, gzip or bgzip) from a path or a byte stream and reads its header.
 * Throws `VcfFormatError` for a bad header.
 */
export async function openVcf(
  source: string | Readable,
  options: VcfReadOptions = {},
): Promise<VcfReader> {
  const lines = await LineReader.open(source, options);
  try {
    const parsed = await readHeader(lines);
    return new RecordReader(lines, parsed.header, parsed.parser, parsed.rest, options);
  } catch (err) {
    lines.close();
    throw err;
  }
}

/** Reads only the header (samples, contigs, fileformat) and closes the file. */
export async function readVcfHeader(source: string | Readable): Promise<VcfHeader> {
  const reader = await openVcf(source, { contigs: 'any' });
  reader.close();
  return reader.header;
}

/**
 * Streams a VCF as batches of normalised variants and calls; the generator's return value is the
 * report. Equivalent to `openVcf` followed by `batches()`.
 */
export async function* readVcf(
  source: string | Readable,
  options: VcfReadOptions = {},
): AsyncGenerator<VcfRecordBatch, VcfReport, undefined> {
  const reader = await openVcf(source, options);
  return yield* reader.batches();
}

class RecordReader implements VcfReader {
  readonly header: VcfHeader;
  readonly report: VcfReport;
  private readonly lines: LineReader;
  private readonly parser: VCFParser;
  private pending: string[] | undefined;
  private readonly options: VcfReadOptions;
  private readonly allowed: ReadonlySet<string> | undefined;
  private readonly declared: ReadonlySet<string> | undefined;
  private started = false;

  constructor(
    lines: LineReader,
    header: VcfHeader,
    parser: VCFParser,
    rest: string[],
    options: VcfReadOptions,
  ) {
    this.lines = lines;
    this.header = header;
    this.parser = parser;
    this.pending = rest;
    this.options = options;
    this.allowed =
      options.contigs === 'any' ? undefined : (options.contigs ?? DEFAULT_HUMAN_CONTIGS);
    this.declared = header.contigs.length ? new Set(header.contigs.map((c) => c.id)) : undefined;
    this.report = {
      fileformat: header.fileformat,
      samples: header.samples.length,
      records: 0,
      variants: 0,
      calls: 0,
      skipped: {},
      skippedExamples: {},
      bytesRead: 0,
      compressed: lines.compressed,
      elapsedMs: 0,
    };
  }

  close(): void {
    this.lines.close();
  }

  async *batches(): AsyncGenerator<VcfRecordBatch, VcfReport, undefined> {
    if (this.started) throw new Error('batches() can be called only once');
    this.started = true;
    const batchRecords = this.options.batchRecords ?? 5_000;
    const batchCalls = this.options.batchCalls ?? 100_000;
    const interval = this.options.progressIntervalMs ?? 250;
    const startedAt = performance.now();
    let lastProgress = startedAt;
    let lineNo = this.header.lines;
    let batch = emptyBatch();
    let batchRecordCount = 0;
    try {
      for (let chunk: string[] | undefined = this.pending; chunk; chunk = await this.lines.next()) {
        this.pending = undefined;
        for (const line of chunk) {
          lineNo += 1;
          if (line.length === 0) {
            this.skip('blank-line', lineNo);
            continue;
          }
          this.record(line, lineNo, batch);
          batchRecordCount += 1;
          if (batchRecordCount >= batchRecords || batch.calls.length >= batchCalls) {
            this.report.variants += batch.variants.length;
            this.report.calls += batch.calls.length;
            yield batch;
            batch = emptyBatch();
            batchRecordCount = 0;
          }
        }
        const now = performance.now();
        if (this.options.onProgress && now - lastProgress >= interval) {
          lastProgress = now;
          this.progress(startedAt, now, lineNo, batch, false);
        }
      }
      if (batchRecordCount > 0) {
        this.report.variants += batch.variants.length;
        this.report.calls += batch.calls.length;
        yield batch;
      }
      const now = performance.now();
      this.report.elapsedMs = Math.round(now - startedAt);
      this.report.bytesRead = this.lines.bytesRead;
      this.progress(startedAt, now, lineNo, emptyBatch(), true);
      return this.report;
    } finally {
      this.lines.close();
    }
  }

  private progress(
    startedAt: number,
    now: number,
    line: number,
    open: VcfRecordBatch,
    done: boolean,
  ): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    const seconds = Math.max((now - startedAt) / 1000, 1e-6);
    const calls = this.report.calls + open.calls.length;
    const total = this.lines.totalBytes;
    const p: VcfProgress = {
      bytesRead: this.lines.bytesRead,
      records: this.report.records,
      calls,
      recordsPerSecond: Math.round(this.report.records / seconds),
      callsPerSecond: Math.round(calls / seconds),
      elapsedMs: Math.round(now - startedAt),
      line,
      done,
    };
    if (total !== undefined) {
      p.totalBytes = total;
      p.percent = total > 0 ? Math.min(100, (100 * this.lines.bytesRead) / total) : 100;
    }
    onProgress(p);
  }

  private skip(reason: VcfSkipReason, line: number, count = 1): void {
    const r = this.report;
    r.skipped[reason] = (r.skipped[reason] ?? 0) + count;
    const examples = (r.skippedExamples[reason] ??= []);
    if (examples.length < 5 && examples[examples.length - 1] !== line) examples.push(line);
  }

  /** Validates one record completely, then appends its variants and calls to `batch`. */
  private record(line: string, lineNo: number, batch: VcfRecordBatch): void {
    this.report.records += 1;
    // Offsets of the first nine tabs; the sample columns start after the ninth.
    const tabs: number[] = [];
    let t = -1;
    while (tabs.length < 9 && (t = line.indexOf(TAB, t + 1)) !== -1) tabs.push(t);
    if (tabs.length < 7) {
      throw new VcfFormatError(
        lineNo,
        `the record has ${tabs.length + 1} columns; at least 8 are required`,
      );
    }
    const sampleCount = this.header.samples.length;
    if (sampleCount > 0 && tabs.length < 9) {
      throw new VcfFormatError(
        lineNo,
        `the record has ${Math.max(0, tabs.length - 8)} sample columns but the header names ${sampleCount} samples`,
      );
    }
    if (sampleCount === 0 && tabs.length > 8) {
      throw new VcfFormatError(
        lineNo,
        'the record has sample columns but the header names no samples',
      );
    }
    const rawChrom = line.slice(0, tabs[0]);
    const rawPos = line.slice(tabs[0]! + 1, tabs[1]);
    if (!DIGITS.test(rawPos) || Number(rawPos) < 1 || Number(rawPos) > 2 ** 31 - 1) {
      throw new VcfFormatError(lineNo, `POS "${rawPos}" is not a positive integer`);
    }
    if (this.declared && !this.declared.has(rawChrom)) {
      throw new VcfFormatError(
        lineNo,
        `contig "${rawChrom}" is not declared by a ##contig header line`,
      );
    }
    const chrom = normaliseChrom(rawChrom);
    if (this.allowed && !this.allowed.has(rawChrom) && !this.allowed.has(chrom)) {
      if (this.options.skipDisallowedContigs) {
        this.skip('contig-not-allowed', lineNo);
        return;
      }
      throw new VcfFormatError(
        lineNo,
        `contig "${rawChrom}" is not in the list of accepted contigs`,
      );
    }
    let variant;
    try {
      variant = this.parser.parseLine(line);
    } catch (err) {
      throw new VcfFormatError(lineNo, (err as Error).message);
    }
    const ref = variant.REF ?? '';
    if (!BASES.test(ref)) {
      throw new VcfFormatError(lineNo, `REF "${ref}" is not a sequence of A, C, G, T, N`);
    }
    const alts = variant.ALT ?? [];
    if (this.options.passOnly && variant.FILTER !== undefined && variant.FILTER !== 'PASS') {
      this.skip('filtered', lineNo);
      return;
    }
    if (alts.length === 0) {
      this.skip('no-alt', lineNo);
    }
    const pos = Number(rawPos);
    const refUpper = ref.toUpperCase();
    const id = variant.ID?.join(';');
    // A record that fails part-way leaves rows in `batch`, but the throw discards the batch.
    // Index in batch.variants of each ALT (1-based), or -1 when the allele is skipped.
    const slot: number[] = [0];
    for (let a = 0; a < alts.length; a += 1) {
      const alt = alts[a]!;
      const skipped = skippedAllele(alt);
      if (skipped) {
        this.skip(skipped, lineNo);
        slot.push(-1);
        continue;
      }
      if (!BASES.test(alt)) {
        throw new VcfFormatError(lineNo, `ALT "${alt}" is not a sequence of A, C, G, T, N`);
      }
      const altUpper = alt.toUpperCase();
      const gene =
        geneFromInfo(variant.INFO, altUpper, a + 1, alts.length) ??
        this.options.geneMap?.get(`${chrom}-${pos}-${refUpper}-${altUpper}`) ??
        this.options.geneMap?.get(`${chrom}-${pos}`);
      const v: NormalizedVariant = {
        chrom,
        pos,
        ref: refUpper,
        alt: altUpper,
        altIndex: a + 1,
        line: lineNo,
      };
      if (gene !== undefined) v.gene = gene;
      if (id !== undefined) v.id = id;
      slot.push(batch.variants.length);
      batch.variants.push(v);
    }
    let onSkipped = 0;
    if (sampleCount > 0) {
      const format = variant.FORMAT ?? '';
      const from = tabs[8]! + 1;
      const gtFirst = format === 'GT' || format.startsWith('GT:');
      if (!gtFirst && /(^|:)GT(:|$)/.test(format)) {
        throw new VcfFormatError(lineNo, 'GT must be the first FORMAT key');
      }
      if (!gtFirst) {
        countColumns(line, from, sampleCount, lineNo);
        this.skip('no-genotype-field', lineNo);
      } else {
        const samples = this.header.samples;
        const out = batch.calls;
        scanGenotypes(
          line,
          from,
          line.length,
          sampleCount,
          alts.length,
          format === 'GT',
          lineNo,
          (
            sampleIndex: number,
            gtStart: number,
            gtEnd: number,
            altIndex: number,
            zygosity: Zygosity,
          ) => {
            const variantSlot = slot[altIndex]!;
            if (variantSlot < 0) {
              onSkipped += 1;
              return;
            }
            out.push({
              variant: variantSlot,
              sample: samples[sampleIndex]!,
              sampleIndex,
              genotype: line.slice(gtStart, gtEnd),
              zygosity,
              altIndex,
            });
          },
        );
      }
    }
    if (onSkipped > 0) this.skip('call-on-skipped-allele', lineNo, onSkipped);
    if (batch.firstLine === 0) batch.firstLine = lineNo;
    batch.lastLine = lineNo;
  }
}

function emptyBatch(): VcfRecordBatch {
  return { variants: [], calls: [], firstLine: 0, lastLine: 0 };
}

function skippedAllele(alt: string): VcfSkipReason | undefined {
  if (alt === '*') return 'spanning-deletion';
  if (alt.startsWith('<')) return 'symbolic-allele';
  if (alt.includes('[') || alt.includes(']')) return 'breakend';
  return undefined;
}

/** Checks the column count of a record whose genotypes are not read. */
function countColumns(line: string, from: number, sampleCount: number, lineNo: number): void {
  let columns = 1;
  for (let t = line.indexOf(TAB, from); t !== -1; t = line.indexOf(TAB, t + 1)) columns += 1;
  if (columns !== sampleCount) {
    throw new VcfFormatError(
      lineNo,
      `the record has ${columns} sample columns but the header names ${sampleCount} samples`,
    );
  }
}
