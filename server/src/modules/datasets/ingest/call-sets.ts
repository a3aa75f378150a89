import type { variantCallSets } from './ingest.tables.js';

/** One genotype call as a row: `zygosity` 1 heterozygous, 2 homozygous, 3 hemizygous. */
export interface CallRow {
  datasetId: string;
  variantId: number;
  participantNum: number;
  zygosity: number;
}

/**
 * Groups calls into `variant_call_sets` rows (one per dataset and variant, carriers sorted), for
 * fixtures and benchmarks that write calls without a VCF. A repeated call is refused, as the
 * ingest refuses it.
 */
export function toCallSets(
  calls: Iterable<CallRow>,
  ingestId: string | null = null,
): (typeof variantCallSets.$inferInsert)[] {
  const sets = new Map<string, typeof variantCallSets.$inferInsert & { seen: Set<number> }>();
  for (const c of calls) {
    const key = `${c.datasetId}/${c.variantId}`;
    let set = sets.get(key);
    if (!set) {
      set = {
        datasetId: c.datasetId,
        ingestId,
        variantId: c.variantId,
        het: [],
        hom: [],
        hemi: [],
        seen: new Set(),
      };
      sets.set(key, set);
    }
    if (set.seen.has(c.participantNum))
      throw new Error(`repeated call: participant ${c.participantNum} on variant ${c.variantId}`);
    set.seen.add(c.participantNum);
    const list = c.zygosity === 1 ? set.het : c.zygosity === 2 ? set.hom : set.hemi;
    list.push(c.participantNum);
  }
  return [...sets.values()].map(({ seen: _seen, ...row }) => ({
    ...row,
    het: row.het.sort((a, b) => a - b),
    hom: row.hom.sort((a, b) => a - b),
    hemi: row.hemi.sort((a, b) => a - b),
  }));
}
