import { sql } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import type { Tx } from '../../../db/database.js';
import { pgIntArray, pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { BgzfWriter } from '../../genomics/bgzf/bgzf-writer.js';
import { TabixIndexBuilder } from '../../genomics/bgzf/tabix-index.js';

/** One exported sample: the participant's number and the export's own id for them. */
export interface ExportSample {
  num: number;
  sampleId: string;
}

/**
 * Variants whose calls are read in one query: memory holds two batches (one read ahead), so it
 * grows with the carriers of 200 variants, not with the export (measured in BENCHMARKS.md).
 */
const VARIANT_BATCH = 100;
const CONTIG_ORDER = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];
const contigRank = (chrom: string) => {
  const i = CONTIG_ORDER.indexOf(chrom);
  return i === -1 ? CONTIG_ORDER.length : i;
};
// zygosity 1 heterozygous, 2 homozygous, 3 hemizygous (see ingest.tables.ts).
const GENOTYPE: Record<number, string> = { 1: '0/1', 2: '1/1', 3: '1' };
const HOM_REF = '0/0';
const MISSING = './.';

/**
 * What a genotype without a stored call means, written into the VCF header and the manifest so
 * the grantee reads it as we mean it.
 */
export const ABSENT_CALL_RULE =
  '0/0 where a dataset of the sample had the site (another of its samples carries the allele) and ' +
  'the sample has no call there: ingest keeps non-reference calls only, so this is reference, or a ' +
  'no-call in the submitted file, which ingest does not keep. ./. where none of the sample’s ' +
  'granted datasets had the site, so nothing is known about it.';

interface VariantRow extends Record<string, unknown> {
  id: number;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  gene: string | null;
}

/** The written VCF (BGZF) and its tabix index. */
export interface WrittenExportVcf {
  variantCount: number;
  vcf: { bytes: number; sha256: string };
  index: { bytes: number; sha256: string };
}

/**
 * Writes the VCF 4.3 subset of an export as BGZF to `vcfOut` and its tabix index to `indexOut`,
 * streaming: calls are read from the database a batch of variants at a time and each record is
 * compressed as it is made, so memory holds one batch and one record whatever the file's size.
 * Every variant carried by at least one exported sample in the granted datasets is written, with
 * a genotype per exported sample (see `ABSENT_CALL_RULE` for samples without a call). Columns
 * use the export's sample ids, never platform pseudonyms.
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
  const column = new Map(input.samples.map((s, i) => [s.num, i]));
  const nums = pgIntArray(input.samples.map((s) => s.num));
  const datasets = pgTextArray([...input.datasetIds]);
  const variants =
    n && input.datasetIds.length
      ? await queryRows<VariantRow>(
          tx,
          // The samples as a relation joined by hash: `= any(array)` of 100k numbers is compared
          // element by element under a generic plan (173 s at 100k samples, 2 s joined).
          sql`select v.id, v.chrom, v.pos, v.ref, v.alt, v.gene from variants v
              where v.id in (select c.variant_id from variant_calls c
                join unnest(${nums}::int[]) as e(num) on e.num = c.participant_num
                where c.dataset_id = any(${datasets}::uuid[]))`,
        )
      : [];
  variants.sort(
    (a, b) =>
      contigRank(a.chrom) - contigRank(b.chrom) ||
      a.chrom.localeCompare(b.chrom) ||
      a.pos - b.pos ||
      a.id - b.id,
  );
  const sampleDatasets = await datasetsOfSamples(tx, datasets, nums, column, n);
  const everySampleHasDataset = sampleDatasets.every((d) => d.length > 0);

  const vcf = new BgzfWriter(vcfOut);
  const index = new TabixIndexBuilder();
  await vcf.write(vcfHeader(input, variants));
  // The header ends its own block, so the first record's offset is a block start.
  await vcf.flush();
  // Every record starts from this row of hom-ref genotypes and is patched where it differs.
  const template = Buffer.from(`\t${HOM_REF}`.repeat(n), 'latin1');
  const row = Buffer.alloc(template.length);
  const zygosity = new Uint8Array(n);
  const callsOf = (batch: readonly VariantRow[]) => {
    const query = queryRows<{ v: number; p: number; z: number; d: number }>(
      tx,
      sql`select variant_id as v, participant_num as p, zygosity as z,
                 array_position(${datasets}::uuid[], dataset_id) - 1 as d
          from variant_calls
          where variant_id = any(${pgIntArray(batch.map((v) => v.id))}::int[])
            and dataset_id = any(${datasets}::uuid[])`,
    );
    // Awaited in its turn; until then a failure must not count as unhandled.
    query.catch(() => {});
    return query;
  };
  // The next batch is read while this one is formatted and compressed.
  let next = callsOf(variants.slice(0, VARIANT_BATCH));
  for (let b = 0; b < variants.length; b += VARIANT_BATCH) {
    const batch = variants.slice(b, b + VARIANT_BATCH);
    const calls = await next;
    const following = variants.slice(b + VARIANT_BATCH, b + 2 * VARIANT_BATCH);
    next = following.length ? callsOf(following) : Promise.resolve([]);
    const byVariant = new Map<number, { p: number; z: number; d: number }[]>();
    for (const c of calls) {
      const list = byVariant.get(c.v);
      if (list) list.push(c);
      else byVariant.set(c.v, [c]);
    }
    for (const v of batch) {
      const text = recordText(v, byVariant.get(v.id) ?? [], {
        column,
        sampleDatasets,
        datasetCount: input.datasetIds.length,
        everySampleHasDataset,
        template,
        row,
        zygosity,
      });
      const start = vcf.position();
      await vcf.write(text);
      index.add(v.chrom, v.pos, v.ref.length, start, vcf.position());
    }
  }
  const vcfDone = await vcf.finish();
  const indexDone = await index.write(indexOut, (position) => vcf.resolve(position));
  return { variantCount: variants.length, vcf: vcfDone, index: indexDone };
}

function vcfHeader(
  input: { exportId: string; grantId: string; samples: readonly ExportSample[] },
  variants: readonly VariantRow[],
): string {
  const lines = [
    '##fileformat=VCFv4.3',
    `##source=Consentome export ${input.exportId}`,
    `##consentome_grant=${input.grantId}`,
    `##consentome_absent_calls="${ABSENT_CALL_RULE}"`,
    ...[...new Set(variants.map((r) => r.chrom))].map((c) => `##contig=<ID=${c}>`),
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene symbol">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    [
      '#CHROM',
      'POS',
      'ID',
      'REF',
      'ALT',
      'QUAL',
      'FILTER',
      'INFO',
      'FORMAT',
      ...input.samples.map((s) => s.sampleId),
    ].join('\t'),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * For each exported sample (by column), the indexes of the granted datasets it is a sample of.
 * A participant in none of them gets ./. everywhere.
 */
async function datasetsOfSamples(
  tx: Tx,
  datasets: string,
  nums: string,
  column: ReadonlyMap<number, number>,
  n: number,
): Promise<number[][]> {
  const out = Array.from({ length: n }, (): number[] => []);
  if (n === 0) return out;
  const rows = await queryRows<{ p: number; d: number }>(
    tx,
    sql`select p.num as p, array_position(${datasets}::uuid[], s.dataset_id) - 1 as d
        from samples s join participants p on p.id = s.participant_id
        join unnest(${nums}::int[]) as e(num) on e.num = p.num
        where s.dataset_id = any(${datasets}::uuid[])`,
  );
  for (const r of rows) out[column.get(r.p)!]!.push(r.d);
  return out;
}

/** One VCF record (with its newline) from a variant's calls in the granted datasets. */
function recordText(
  v: VariantRow,
  calls: readonly { p: number; z: number; d: number }[],
  ctx: {
    column: ReadonlyMap<number, number>;
    sampleDatasets: readonly number[][];
    datasetCount: number;
    everySampleHasDataset: boolean;
    template: Buffer;
    row: Buffer;
    zygosity: Uint8Array;
  },
): Buffer {
  const { column, sampleDatasets, template, row, zygosity } = ctx;
  // Which granted datasets had this site: those with any call at it, exported sample or not.
  const covered = new Uint8Array(ctx.datasetCount);
  let coveredCount = 0;
  zygosity.fill(0);
  let hemizygous = false;
  for (const c of calls) {
    if (!covered[c.d]) {
      covered[c.d] = 1;
      coveredCount++;
    }
    const col = column.get(c.p);
    if (col === undefined) continue;
    const z = zygosity[col]!;
    // The same participant in two datasets: keep the call with more alternate alleles.
    if (z < c.z && !(z === 2 && c.z === 3)) zygosity[col] = c.z;
    if (zygosity[col] === 3) hemizygous = true;
  }
  const absent = (i: number) =>
    coveredCount === ctx.datasetCount && sampleDatasets[i]!.length > 0
      ? HOM_REF
      : sampleDatasets[i]!.some((d) => covered[d])
        ? HOM_REF
        : MISSING;
  const info = v.gene ? `GENE=${v.gene}` : '.';
  const fixed = `${v.chrom}\t${v.pos}\t.\t${v.ref}\t${v.alt}\t.\tPASS\t${info}\tGT`;
  if (hemizygous) {
    // '1' is one character where the others are three: build the record as text.
    const gts = Array.from(zygosity, (z, i) => GENOTYPE[z] ?? absent(i));
    return Buffer.from(`${fixed}\t${gts.join('\t')}\n`, 'utf8');
  }
  // Fast path: every genotype is three characters, so each sits at 4 * column + 1.
  template.copy(row);
  if (coveredCount === ctx.datasetCount && ctx.everySampleHasDataset) {
    // Everyone else is hom-ref: only the calls differ from the template.
    for (const c of calls) {
      const col = column.get(c.p);
      if (col !== undefined) row.write(GENOTYPE[zygosity[col]!]!, 4 * col + 1, 'latin1');
    }
    return Buffer.concat([Buffer.from(fixed, 'utf8'), row, Buffer.from('\n')]);
  }
  for (let i = 0; i < zygosity.length; i++) {
    const z = zygosity[i]!;
    const gt = z ? GENOTYPE[z]! : absent(i);
    if (gt !== HOM_REF) row.write(gt, 4 * i + 1, 'latin1');
  }
  return Buffer.concat([Buffer.from(fixed, 'utf8'), row, Buffer.from('\n')]);
}
