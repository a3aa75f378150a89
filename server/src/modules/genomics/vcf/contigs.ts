const PRIMARY = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];

/**
 * The contigs accepted when the caller gives no allow-list: the human primary assembly
 * (1–22, X, Y, MT) with and without the `chr` prefix, plus `chrM` as UCSC spells it.
 */
export const DEFAULT_HUMAN_CONTIGS: ReadonlySet<string> = new Set([
  ...PRIMARY,
  ...PRIMARY.map((c) => `chr${c}`),
  'chrM',
]);

/**
 * The chromosome name as stored: no `chr` prefix, upper case, `M` → `MT`. Matches
 * `normaliseChrom` in cohorts/cohort-criteria.ts so variant keys built on both sides agree.
 */
export function normaliseChrom(chrom: string): string {
  const c = chrom.replace(/^chr/i, '').toUpperCase();
  return c === 'M' ? 'MT' : c;
}

/** The key a variant is indexed under, `CHROM-POS-REF-ALT` with the chromosome normalised. */
export function variantKey(chrom: string, pos: number, ref: string, alt: string): string {
  return `${normaliseChrom(chrom)}-${pos}-${ref.toUpperCase()}-${alt.toUpperCase()}`;
}
