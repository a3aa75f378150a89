import type { variants } from './ingest.tables.js';

/** A variant as the `variants` table holds it: its id, site and alternate allele, and gene. */
export type VariantSite = Pick<
  typeof variants.$inferSelect,
  'id' | 'chrom' | 'pos' | 'ref' | 'alt' | 'gene'
>;
