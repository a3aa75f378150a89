/** The human genome builds a file may say it is on. Variants are stored on GRCh38. */
export type GenomeBuild = 'NCBI36' | 'GRCh37' | 'GRCh38';

/** GRCh38 is what the platform stores and counts on. */
export const STORED_BUILD: GenomeBuild = 'GRCh38';

/**
 * The build a free-text statement names (a VCF `##reference`, a contig's `assembly`, a consumer
 * file's comment such as "reference human assembly build 37" or "build 37.1"), or null.
 */
export function buildNamedIn(text: string): GenomeBuild | null {
  const t = text.toLowerCase();
  if (/grch38|hg38|build\s*38\b|build\s*38\.|hs38|gca_000001405\.15/.test(t)) return 'GRCh38';
  if (/grch37|hg19|b37\b|hs37d5|human_g1k_v37|build\s*37\b|build\s*37\./.test(t)) return 'GRCh37';
  if (/ncbi\s*36|ncbi36|hg18|build\s*36\b|build\s*36\./.test(t)) return 'NCBI36';
  return null;
}

/** Chromosome 1's length in each build: a `##contig` line with a length tells the build. */
const CHR1_LENGTH: Record<number, GenomeBuild> = {
  247249719: 'NCBI36',
  249250621: 'GRCh37',
  248956422: 'GRCh38',
};

/** The build chromosome 1's declared length gives away, or null. */
export function buildOfChromosome1Length(length: number | undefined): GenomeBuild | null {
  return length === undefined ? null : (CHR1_LENGTH[length] ?? null);
}
