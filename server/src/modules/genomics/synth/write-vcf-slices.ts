import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { SYNTH_CHROMOSOMES, SYNTH_GENES } from './genes.js';
import {
  MALE,
  type PlannedCalls,
  type PlannedParticipants,
  type PlannedVariants,
} from './cohort-plan.js';

/** One written VCF: which participants (0-based, inclusive range) it holds. */
export interface SliceFile {
  file: string;
  firstParticipant: number;
  lastParticipant: number;
  records: number;
  calls: number;
}

const X_INDEX = SYNTH_CHROMOSOMES.findIndex((c) => c.chrom === 'X');
const FLUSH_BYTES = 4 * 1024 * 1024;
const ONE = 49;

/**
 * Writes one VCF per slice of `samplesPerFile` participants. A row has one column per sample of
 * its slice, so rows only exist where the slice has a carrier; the genotype columns are copied
 * from a prepared all-reference row and patched, which keeps a 10k-column row cheap to emit.
 * Males are haploid on chrX (`0`/`1`), everyone else diploid.
 */
export async function writeVcfSlices(options: {
  dir: string;
  pseudonyms: (i: number) => string;
  participants: PlannedParticipants;
  variants: PlannedVariants;
  calls: PlannedCalls;
  samplesPerFile: number;
  gzip: boolean;
  seed: number;
}): Promise<SliceFile[]> {
  const { participants, calls, samplesPerFile } = options;
  const files = Math.ceil(participants.count / samplesPerFile);
  // Counting sort of calls by file; stable, so each file's calls stay in variant order.
  const start = new Uint32Array(files + 1);
  for (let k = 0; k < calls.count; k += 1)
    start[Math.floor(calls.participant[k]! / samplesPerFile) + 1]! += 1;
  for (let f = 0; f < files; f += 1) start[f + 1]! += start[f]!;
  const order = new Uint32Array(calls.count);
  const fill = start.slice(0, files);
  for (let k = 0; k < calls.count; k += 1) {
    const f = Math.floor(calls.participant[k]! / samplesPerFile);
    order[fill[f]!] = k;
    fill[f]! += 1;
  }
  const width = String(files).length;
  const out: SliceFile[] = [];
  for (let f = 0; f < files; f += 1) {
    const first = f * samplesPerFile;
    const last = Math.min(participants.count, first + samplesPerFile) - 1;
    const name = `cohort-${String(f + 1).padStart(Math.max(4, width), '0')}.vcf${options.gzip ? '.gz' : ''}`;
    const stats = await writeSlice(
      `${options.dir}/${name}`,
      options,
      first,
      last,
      order.subarray(start[f]!, start[f + 1]!),
    );
    out.push({ file: name, firstParticipant: first, lastParticipant: last, ...stats });
  }
  return out;
}

async function writeSlice(
  path: string,
  options: Parameters<typeof writeVcfSlices>[0],
  first: number,
  last: number,
  callIdx: Uint32Array,
): Promise<{ records: number; calls: number }> {
  const { participants, variants, calls } = options;
  const n = last - first + 1;
  const file = createWriteStream(path);
  const sink: Writable = options.gzip ? createGzip({ level: 1 }) : file;
  if (options.gzip) sink.pipe(file);
  const names: string[] = [];
  for (let i = first; i <= last; i += 1) names.push(options.pseudonyms(i));
  const header = [
    '##fileformat=VCFv4.2',
    `##source=consentome-synth seed=${options.seed}`,
    '##reference=GRCh38 (synthetic data: REF bases are random, not the reference sequence)',
    ...SYNTH_CHROMOSOMES.map((c) => `##contig=<ID=chr${c.chrom},length=${c.length}>`),
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene symbol">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', ...names].join('\t'),
    '',
  ].join('\n');
  await write(sink, Buffer.from(header, 'utf8'));

  const auto = rowTemplate(n, () => false);
  const xRow = rowTemplate(n, (i) => participants.sex[first + i] === MALE);
  let buf = Buffer.allocUnsafe(Math.max(FLUSH_BYTES, auto.row.length * 2 + 4096));
  let at = 0;
  let records = 0;
  for (let k = 0; k < callIdx.length;) {
    const v = calls.variant[callIdx[k]!]!;
    const isX = variants.chrom[v] === X_INDEX;
    const t = isX ? xRow : auto;
    const g = variants.gene[v]!;
    const prefix =
      `chr${SYNTH_CHROMOSOMES[variants.chrom[v]!]!.chrom}\t${variants.pos[v]}\t.\t${variants.ref[v]}\t` +
      `${variants.alt[v]}\t.\tPASS\t${g >= 0 ? `GENE=${SYNTH_GENES[g]!.symbol}` : '.'}\tGT\t`;
    if (at + prefix.length + t.row.length > buf.length) {
      await write(sink, buf.subarray(0, at));
      buf = Buffer.allocUnsafe(buf.length);
      at = 0;
    }
    at += buf.write(prefix, at, 'latin1');
    t.row.copy(buf, at);
    for (; k < callIdx.length && calls.variant[callIdx[k]!] === v; k += 1) {
      const c = callIdx[k]!;
      const col = calls.participant[c]! - first;
      const o = at + t.offset(col);
      if (isX && participants.sex[first + col] === MALE) {
        buf[o] = ONE;
      } else {
        buf[o + 2] = ONE;
        if (calls.hom[c]) buf[o] = ONE;
      }
    }
    at += t.row.length;
    records += 1;
  }
  if (at > 0) await write(sink, buf.subarray(0, at));
  sink.end();
  await finished(file);
  return { records, calls: callIdx.length };
}

/** An all-reference genotype row (`0/0`, or `0` for haploid columns) ending in a newline. */
function rowTemplate(
  n: number,
  haploid: (i: number) => boolean,
): { row: Buffer; offset: (i: number) => number } {
  const offsets = new Int32Array(n);
  let len = 0;
  for (let i = 0; i < n; i += 1) {
    offsets[i] = len;
    len += haploid(i) ? 2 : 4;
  }
  const row = Buffer.alloc(len);
  for (let i = 0; i < n; i += 1) {
    const o = offsets[i]!;
    if (haploid(i)) row.write('0\t', o, 'latin1');
    else row.write('0/0\t', o, 'latin1');
  }
  row[len - 1] = 10;
  return { row, offset: (i) => offsets[i]! };
}

function write(sink: Writable, chunk: Buffer): Promise<void> {
  // The chunk is handed over, never reused, so no copy is needed.
  return new Promise((resolve, reject) => {
    const ok = sink.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else sink.once('drain', resolve);
  });
}
