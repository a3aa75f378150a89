import { sql, type SQL } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import type { Tx } from '../../../db/database.js';
import { cursorPages } from '../../../db/cursor-pages.js';
import { pgIntArray, pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { BgzfWriter } from '../../genomics/bgzf/bgzf-writer.js';
import { TabixIndexBuilder } from '../../genomics/bgzf/tabix-index.js';
import type { VariantSite } from '../../datasets/ingest/variant-site.js';

/** One exported sample: the participant's number and the export's own id for them. */
export interface ExportSample {
  num: number;
  sampleId: string;
}

/** Variants whose calls are read by one query (sorted in the file's order on the server). */
const VARIANT_BATCH = 100;
/** Call-set rows (one variant's carriers in one dataset) read at once. */
const CALL_ROWS_PAGE = 32;
/** Exported participant numbers sent to the database per statement. */
const SAMPLE_CHUNK = 10_000;
const CONTIG_ORDER = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];
const contigRank = (chrom: string) => {
  const i = CONTIG_ORDER.indexOf(chrom);
  return i === -1 ? CONTIG_ORDER.length : i;
};
/** Genotype columns (with their leading tab) by code: zygosity 1 heterozygous, 2 homozygous,
 * 3 hemizygous (see ingest.tables.ts), and the two written without a call. */
const HOM_REF = '0/0';
const MISSING = './.';
const MISSING_CODE = 4;
const GENOTYPE_COLUMN = ['', '\t0/1', '\t1/1', '\t1', `\t${MISSING}`].map((g) =>
  Buffer.from(g, 'latin1'),
);
/** Hom-ref columns, four bytes each, as many as fit a BGZF block: any run of hom-ref columns is
 * copied from here (the pattern repeats every column, so a run starts at offset 0). */
const HOM_REF_RUN = Buffer.from(`\t${HOM_REF}`.repeat(0x4000), 'latin1');
const HOM_REF_RUN_COLUMNS = 0x4000;
const NEWLINE = Buffer.from('\n', 'latin1');

/**
 * What a genotype without a stored call means, written into the VCF header and the manifest so
 * the grantee reads it as we mean it.
 */
export const ABSENT_CALL_RULE =
  '0/0 where a dataset of the sample had the site (another of its samples carries the allele) and ' +
  'the sample has no call there: ingest keeps non-reference calls only, so this is reference, or a ' +
  'no-call in the submitted file, which ingest does not keep. ./. where none of the sample’s ' +
  'granted datasets had the site, so nothing is known about it.';

/** A variant row as the export reads it (`queryRows` wants an open record). */
export type VariantRow = VariantSite & Record<string, unknown>;

/** The written VCF (BGZF) and its tabix index. */
export interface WrittenExportVcf {
  variantCount: number;
  vcf: { bytes: number; sha256: string };
  index: { bytes: number; sha256: string };
}

/**
 * Writes the VCF 4.3 subset of an export as BGZF to `vcfOut` and its tabix index to `indexOut`,
 * streaming: calls are read through a cursor a page at a time in the file's order and each
 * record is written as its calls complete, so memory holds one page, a few BGZF blocks and a few
 * bytes per sample (typed arrays), whatever the numbers of samples and variants. Every variant
 * carried by at least one exported sample in the granted datasets is written, with a genotype per
 * exported sample (see `ABSENT_CALL_RULE` for samples without a call). Columns use the export's
 * sample ids, never platform pseudonyms.
 */
export async function writeExportVcf(
  tx: Tx,
  input: {
    exportId: string;
    grantId: string;
    datasetIds: readonly string[];
    samples: readonly ExportSample[];
  },
  vcfOut: Writable,
  indexOut: Writable,
): Promise<WrittenExportVcf> {
  const n = input.samples.length;
  const datasets = pgTextArray([...input.datasetIds]);
  const table = await exportedSamplesTable(tx, input.samples);
  let written: WrittenExportVcf | null = null;
  try {
    const variants =
      n && input.datasetIds.length
        ? await queryRows<VariantRow>(
            tx,
            // A variant is exported when one of its call sets in the granted datasets has an
            // exported carrier: probed carrier by carrier through the table's index, stopping at
            // the first (exporting most of a cohort, that is the first carrier). Joining every
            // carrier to the table by hash read them all: 4.5 s at 200k samples, 0.3 s probed.
            // (`= any(array)` of 100k numbers was worse still: 173 s under a generic plan.)
            sql`select v.id, v.chrom, v.pos, v.ref, v.alt, v.gene from variants v
                where exists (select 1 from variant_call_sets c
                  where c.variant_id = v.id and c.dataset_id = any(${datasets}::uuid[])
                    and exists (select 1 from unnest(c.het || c.hom || c.hemi) as u(num)
                      where exists (select 1 from ${table} e where e.num = u.num)))`,
          )
        : [];
    variants.sort(
      (a, b) =>
        contigRank(a.chrom) - contigRank(b.chrom) ||
        a.chrom.localeCompare(b.chrom) ||
        a.pos - b.pos ||
        a.id - b.id,
    );
    const groups = await sampleGroups(tx, table, datasets, n);

    const vcf = new BgzfWriter(vcfOut);
    const index = new TabixIndexBuilder();
    await writeHeader(vcf, input, variants);
    // The header ends its own block, so the first record's offset is a block start.
    await vcf.flush();
    const record = new RecordWriter(vcf, n, input.datasetIds.length, groups);
    const columns = new ColumnLookup(input.samples);
    let current = 0;
    const finishRecord = async () => {
      const v = variants[current]!;
      const start = vcf.position();
      await record.write(v);
      index.add(v.chrom, v.pos, v.ref.length, start, vcf.position());
    };
    for (let b = 0; b < variants.length; b += VARIANT_BATCH) {
      const batch = variants.slice(b, b + VARIANT_BATCH);
      // Every call at these variants in the granted datasets (other participants' too: they tell
      // which datasets had the site), in the file's order: the stored carrier arrays, one row per
      // variant and dataset (and ingest), as one text of the participant numbers (`het;hom;hemi`,
      // comma-separated). Text, not `bytea`: the driver would turn a bytea into a Buffer outside
      // the heap, which the collector frees late, so the process grew with the calls read. A row
      // is bounded by the samples of one dataset.
      const rows = cursorPages<{ o: number; d: number; carriers: string }>(
        tx,
        sql`select o.ord::int - 1 + ${b} as o,
                   array_position(${datasets}::uuid[], c.dataset_id) - 1 as d,
                   array_to_string(c.het, ',') || ';' || array_to_string(c.hom, ',') || ';' ||
                     array_to_string(c.hemi, ',') as carriers
            from unnest(${pgIntArray(batch.map((v) => v.id))}::int[]) with ordinality
              as o(id, ord)
            join variant_call_sets c on c.variant_id = o.id
            where c.dataset_id = any(${datasets}::uuid[])
            order by o.ord`,
        CALL_ROWS_PAGE,
      );
      for await (const page of rows)
        for (const row of page) {
          if (row.o !== current) {
            await finishRecord();
            current = row.o;
          }
          addCarriers(record, columns, row.carriers, row.d);
        }
    }
    if (variants.length) await finishRecord();
    const vcfDone = await vcf.finish();
    const indexDone = await index.write(indexOut, (position) => vcf.resolve(position));
    written = { variantCount: variants.length, vcf: vcfDone, index: indexDone };
    return written;
  } finally {
    const drop = tx.execute(sql`drop table if exists ${table}`);
    // After a failed statement the transaction is aborted and refuses the drop: the failure is
    // the error to report (the table goes with the rollback anyway).
    if (written) await drop;
    else await drop.catch(() => {});
  }
}

/** `;` and `,` and the digits, as character codes. */
const SEMICOLON = 59;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;

/**
 * Adds the calls of one variant in dataset `d`, given as the text of its three carrier arrays:
 * `het;hom;hemi`, each a comma-separated list of participant numbers (possibly empty).
 */
export function addCarriers(
  record: RecordWriter,
  columns: ColumnLookup,
  carriers: string,
  d: number,
): void {
  let zygosity = 1;
  let num = 0;
  let digits = false;
  for (let i = 0; i <= carriers.length; i++) {
    const c = i < carriers.length ? carriers.charCodeAt(i) : SEMICOLON;
    if (c >= ZERO && c <= NINE) {
      num = num * 10 + (c - ZERO);
      digits = true;
      continue;
    }
    if (c !== COMMA && c !== SEMICOLON)
      throw new Error(`Unexpected character in a carrier list: ${JSON.stringify(carriers[i])}`);
    if (digits) record.add(columns.of(num), zygosity, d);
    num = 0;
    digits = false;
    if (c === SEMICOLON) zygosity++;
  }
}

/** Participant number to export column: numbers sorted in a typed array, binary-searched. */
export class ColumnLookup {
  private readonly nums: Int32Array;
  private readonly columns: Int32Array;

  constructor(samples: readonly ExportSample[]) {
    const order = new Int32Array(samples.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => samples[a]!.num - samples[b]!.num);
    this.nums = Int32Array.from(order, (i) => samples[i]!.num);
    this.columns = order;
  }

  /** The column of participant `num`, or null when they are not exported. */
  of(num: number): number | null {
    const { nums } = this;
    let lo = 0;
    let hi = nums.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = nums[mid]!;
      if (at === num) return this.columns[mid]!;
      if (at < num) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }
}

let exportTables = 0;

/**
 * The exported samples as a temporary table of (participant number, column), filled a chunk at a
 * time, so no statement carries every sample and the database joins them by hash.
 */
async function exportedSamplesTable(tx: Tx, samples: readonly ExportSample[]): Promise<SQL> {
  const table = sql.raw(`consentome_export_samples_${++exportTables}`);
  await tx.execute(sql`create temporary table ${table} (num int not null, col int not null)
                       on commit drop`);
  for (let i = 0; i < samples.length; i += SAMPLE_CHUNK) {
    const nums = pgIntArray(samples.slice(i, i + SAMPLE_CHUNK).map((s) => s.num));
    await tx.execute(sql`insert into ${table} (num, col)
                         select u.num, u.ord::int - 1 + ${i}
                         from unnest(${nums}::int[]) with ordinality as u(num, ord)`);
  }
  // Indexed once filled (cheaper than maintaining it while inserting), for the carrier probes.
  await tx.execute(sql`create index on ${table} (num)`);
  // Fresh temporary tables have no statistics: without them the planner guesses a tiny table.
  await tx.execute(sql`analyze ${table}`);
  return table;
}

/** Writes the header, the sample line a sample id at a time (it grows with the samples). */
async function writeHeader(
  vcf: BgzfWriter,
  input: { exportId: string; grantId: string; samples: readonly ExportSample[] },
  variants: readonly VariantRow[],
): Promise<void> {
  const lines = [
    '##fileformat=VCFv4.3',
    `##source=Consentome export ${input.exportId}`,
    `##consentome_grant=${input.grantId}`,
    `##consentome_absent_calls="${ABSENT_CALL_RULE}"`,
    ...[...new Set(variants.map((r) => r.chrom))].map((c) => `##contig=<ID=${c}>`),
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene symbol">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT'].join('\t'),
  ];
  await vcf.write(lines.join('\n'));
  for (const s of input.samples) if (vcf.appendText(`\t${s.sampleId}`)) await vcf.drain();
  await vcf.write('\n');
}

/**
 * The exported samples grouped by the set of granted datasets they are samples of (usually a
 * handful of groups): whether a sample without a call is 0/0 or ./. depends only on its group.
 */
export interface SampleGroups {
  /** Each group's dataset indexes (empty for samples of none of the granted datasets). */
  datasets: Int32Array[];
  /** The columns of each group's samples: `columns[start[g], start[g + 1])`, ascending. */
  start: Int32Array;
  columns: Int32Array;
}

/** Columns sent per row of the sample groups (a range of 8,192 columns of one group). */
const GROUP_COLUMN_RANGE_SHIFT = 13;
/** Sample-group rows read at once (each at most 8,192 columns, about 50 KB of text). */
const GROUP_ROWS_PAGE = 8;

/**
 * The sample groups, grouped by the database: one row per group and range of 8,192 columns, the
 * columns as one comma-separated text. The process never holds a row per sample (100k rows of
 * objects and their strings were what made the export's memory grow with the samples).
 */
async function sampleGroups(
  tx: Tx,
  table: SQL,
  datasets: string,
  n: number,
): Promise<SampleGroups> {
  const groups = new SampleGroupsBuilder(n);
  if (n) {
    const rows = cursorPages<{ ds: string; cols: string }>(
      tx,
      sql`select m.ds::text as ds, string_agg(m.col::text, ',' order by m.col) as cols
          from (select e.col, array_agg(distinct
                         array_position(${datasets}::uuid[], s.dataset_id) - 1) as ds
                from samples s join participants p on p.id = s.participant_id
                join ${table} e on e.num = p.num
                where s.dataset_id = any(${datasets}::uuid[])
                group by e.col) m
          group by m.ds, m.col >> ${GROUP_COLUMN_RANGE_SHIFT}
          order by 1, min(m.col)`,
      GROUP_ROWS_PAGE,
    );
    for await (const page of rows)
      for (const r of page) {
        // `{0,2}`: PostgreSQL's text form of the group's sorted dataset indexes.
        const g = groups.group(r.ds.slice(1, -1).split(',').map(Number));
        forEachNumber(r.cols, (column) => groups.assign(column, g));
      }
  }
  return groups.build();
}

/** Calls `each` with every number of a comma-separated list of non-negative integers. */
function forEachNumber(list: string, each: (n: number) => void): void {
  let num = 0;
  let digits = false;
  for (let i = 0; i <= list.length; i++) {
    const c = i < list.length ? list.charCodeAt(i) : COMMA;
    if (c >= ZERO && c <= NINE) {
      num = num * 10 + (c - ZERO);
      digits = true;
    } else if (c === COMMA) {
      if (digits) each(num);
      num = 0;
      digits = false;
    } else throw new Error(`Unexpected character in a number list: ${JSON.stringify(list[i])}`);
  }
}

/**
 * Builds `SampleGroups`: each group is named by its granted datasets (`group`), each sample
 * assigned to one (`assign`); samples never assigned are group 0, of no granted dataset. Holds
 * one number per sample.
 */
export class SampleGroupsBuilder {
  private readonly groupOf: Int32Array;
  private readonly keys = new Map<string, number>([['', 0]]);
  private readonly groupDatasets: Int32Array[] = [new Int32Array(0)];

  constructor(private readonly samples: number) {
    this.groupOf = new Int32Array(samples);
  }

  /** The group of the samples of exactly these granted datasets (indexes, any order). */
  group(datasets: readonly number[]): number {
    const of = [...new Set(datasets)].sort((a, b) => a - b);
    const key = of.join(',');
    let g = this.keys.get(key);
    if (g === undefined) {
      g = this.groupDatasets.push(Int32Array.from(of)) - 1;
      this.keys.set(key, g);
    }
    return g;
  }

  /** Sample `column` belongs to group `g`. */
  assign(column: number, g: number): void {
    if (column < 0 || column >= this.samples) throw new Error(`No sample column ${column}`);
    this.groupOf[column] = g;
  }

  build(): SampleGroups {
    const { groupOf, groupDatasets, samples: n } = this;
    // Counting sort of the columns by group.
    const start = new Int32Array(groupDatasets.length + 1);
    for (let i = 0; i < n; i++) start[groupOf[i]! + 1]!++;
    for (let g = 0; g < groupDatasets.length; g++) start[g + 1]! += start[g]!;
    const next = start.slice(0, groupDatasets.length);
    const columns = new Int32Array(n);
    for (let i = 0; i < n; i++) columns[next[groupOf[i]!]!++] = i;
    return { datasets: groupDatasets, start, columns };
  }
}

/**
 * Collects one variant's calls (`add`) and writes its record (`write`): the hom-ref run between
 * two columns that differ is copied from `HOM_REF_RUN`, and only the columns with a call or
 * without coverage are written one by one. Per sample it keeps a byte (the genotype code) and the
 * list of columns that differ, reset after each record.
 */
export class RecordWriter {
  private readonly code: Uint8Array;
  private readonly differing: Int32Array;
  private differingCount = 0;
  private readonly covered: Uint8Array;
  private coveredCount = 0;

  constructor(
    private readonly vcf: BgzfWriter,
    private readonly samples: number,
    private readonly datasetCount: number,
    private readonly groups: SampleGroups,
  ) {
    this.code = new Uint8Array(samples);
    this.differing = new Int32Array(samples);
    this.covered = new Uint8Array(datasetCount);
  }

  /** One call in granted dataset `d`; `column` is null for a participant not exported. */
  add(column: number | null, zygosity: number, d: number): void {
    if (!this.covered[d]) {
      this.covered[d] = 1;
      this.coveredCount++;
    }
    if (column === null) return;
    const z = this.code[column]!;
    if (z === 0) this.differing[this.differingCount++] = column;
    // The same participant in two datasets: keep the call with more alternate alleles.
    if (z < zygosity && !(z === 2 && zygosity === 3)) this.code[column] = zygosity;
  }

  /** Writes the record of `v` from the calls added since the last one. */
  async write(v: VariantRow): Promise<void> {
    const { vcf, code, differing } = this;
    // Group 0 is the samples of no granted dataset: ./. at every site.
    if (this.coveredCount < this.datasetCount || this.groups.start[1]! > 0) this.markMissing();
    const info = v.gene ? `GENE=${v.gene}` : '.';
    if (vcf.appendText(`${v.chrom}\t${v.pos}\t.\t${v.ref}\t${v.alt}\t.\tPASS\t${info}\tGT`))
      await vcf.drain();
    const list = differing.subarray(0, this.differingCount).sort();
    let from = 0;
    for (let k = 0; k <= list.length; k++) {
      const to = k < list.length ? list[k]! : this.samples;
      while (from < to) {
        const run = Math.min(to - from, HOM_REF_RUN_COLUMNS);
        if (vcf.append(HOM_REF_RUN, 0, 4 * run)) await vcf.drain();
        from += run;
      }
      if (k < list.length) {
        if (vcf.append(GENOTYPE_COLUMN[code[to]!]!)) await vcf.drain();
        code[to] = 0;
        from = to + 1;
      }
    }
    if (vcf.append(NEWLINE)) await vcf.drain();
    this.differingCount = 0;
    this.covered.fill(0);
    this.coveredCount = 0;
  }

  /** ./. for samples without a call none of whose granted datasets had the site. */
  private markMissing(): void {
    const { groups, code, covered } = this;
    for (let g = 0; g < groups.datasets.length; g++) {
      if (groups.datasets[g]!.some((d) => covered[d])) continue;
      for (let i = groups.start[g]!; i < groups.start[g + 1]!; i++) {
        const column = groups.columns[i]!;
        if (code[column] === 0) {
          code[column] = MISSING_CODE;
          this.differing[this.differingCount++] = column;
        }
      }
    }
  }
}
