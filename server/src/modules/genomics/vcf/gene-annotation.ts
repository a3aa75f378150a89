import type { InfoValue } from '@gmod/vcf';

/**
 * The gene an ALT allele falls in according to the record's INFO: SnpEff/ANN first (the entry
 * whose Allele field is this ALT, else the first entry; Gene_Name is the 4th `|` field), then
 * INFO/GENE (per-ALT when it has one value per ALT, else its first value).
 */
export function geneFromInfo(
  info: Record<string, InfoValue>,
  alt: string,
  altIndex: number,
  altCount: number,
): string | undefined {
  const ann = info.ANN;
  if (Array.isArray(ann)) {
    let fallback: string | undefined;
    for (const entry of ann) {
      if (typeof entry !== 'string') continue;
      const fields = entry.split('|', 5);
      const gene = clean(fields[3]);
      if (!gene) continue;
      if (fields[0]?.toUpperCase() === alt) return gene;
      fallback ??= gene;
    }
    if (fallback) return fallback;
  }
  const gene = info.GENE;
  if (Array.isArray(gene)) {
    const value = gene.length === altCount ? gene[altIndex - 1] : gene[0];
    if (typeof value === 'string') return clean(value);
  }
  return undefined;
}

function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
