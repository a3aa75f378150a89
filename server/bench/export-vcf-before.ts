/**
 * The export VCF as it was before issue #19 item 5 (commit f9e685f, `exportVcf`), copied verbatim
 * with import paths adjusted: the reference `bench:export -- --phase before` measures against.
 * Since calls are stored as carrier arrays (`variant_call_sets`) it reads them one row per call
 * through the `variant_calls` view, as it read the table it was written for.
 */
import { and, inArray } from 'drizzle-orm';
import type { Tx } from '../src/db/database.js';
import { variantCalls, variants } from '../src/modules/datasets/ingest/ingest.tables.js';

/** One exported sample: the participant's number and the export's own id for them. */
export interface ExportSample {
  num: number;
  sampleId: string;
}

const CHUNK = 5_000;
const CONTIG_ORDER = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];
const contigRank = (chrom: string) => {
  const i = CONTIG_ORDER.indexOf(chrom);
  return i === -1 ? CONTIG_ORDER.length : i;
};
// zygosity 1 heterozygous, 2 homozygous, 3 hemizygous (see ingest.tables.ts).
const GENOTYPE: Record<number, string> = { 1: '0/1', 2: '1/1', 3: '1' };

/**
 * The VCF 4.3 subset of an export: every variant carried by at least one exported sample in
 * the granted datasets, with a genotype per exported sample (0/0 where the sample carries no
 * alternate allele: ingest keeps non-reference calls only). Columns use the export's sample
 * ids, never platform pseudonyms.
 */
export async function exportVcf(
  tx: Tx,
  input: {
    exportId: string;
    grantId: string;
    datasetIds: readonly string[];
    samples: readonly ExportSample[];
  },
): Promise<{ text: string; variantCount: number }> {
  const column = new Map(input.samples.map((s, i) => [s.num, i]));
  const calls = new Map<number, Uint8Array>();
  const nums = input.samples.map((s) => s.num);
  for (let i = 0; i < nums.length && input.datasetIds.length; i += CHUNK) {
    const rows = await tx
      .select({
        variantId: variantCalls.variantId,
        num: variantCalls.participantNum,
        zygosity: variantCalls.zygosity,
      })
      .from(variantCalls)
      .where(
        and(
          inArray(variantCalls.datasetId, [...input.datasetIds]),
          inArray(variantCalls.participantNum, nums.slice(i, i + CHUNK)),
        ),
      );
    for (const r of rows) {
      const row = calls.get(r.variantId) ?? new Uint8Array(input.samples.length);
      const c = column.get(r.num)!;
      // The same participant in two datasets: keep the call with more alternate alleles.
      if (row[c]! < r.zygosity && !(row[c] === 2 && r.zygosity === 3)) row[c] = r.zygosity;
      calls.set(r.variantId, row);
    }
  }
  const ids = [...calls.keys()];
  const rows: (typeof variants.$inferSelect)[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    rows.push(
      ...(await tx
        .select()
        .from(variants)
        .where(inArray(variants.id, ids.slice(i, i + CHUNK)))),
    );
  rows.sort(
    (a, b) =>
      contigRank(a.chrom) - contigRank(b.chrom) ||
      a.chrom.localeCompare(b.chrom) ||
      a.pos - b.pos ||
      a.id - b.id,
  );
  const lines = [
    '##fileformat=VCFv4.3',
    `##source=Consentome export ${input.exportId}`,
    `##consentome_grant=${input.grantId}`,
    ...[...new Set(rows.map((r) => r.chrom))].map((c) => `##contig=<ID=${c}>`),
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
  for (const v of rows) {
    const gts = [...calls.get(v.id)!].map((z) => GENOTYPE[z] ?? '0/0');
    const info = v.gene ? `GENE=${v.gene}` : '.';
    lines.push([v.chrom, v.pos, '.', v.ref, v.alt, '.', 'PASS', info, 'GT', ...gts].join('\t'));
  }
  return { text: `${lines.join('\n')}\n`, variantCount: rows.length };
}
