import { z } from 'zod';
import { SEXES } from '../participants/participants.service.js';
import { criteriaLimitProblem } from './criteria-limits.js';

/** Whose word phenotype and disease criteria take. */
export const TERM_SOURCES = ['any', 'clinician'] as const;

/** Zygosity filter on genotype criteria. */
export const ZYGOSITIES = ['ANY', 'HETEROZYGOUS', 'HOMOZYGOUS'] as const;

const CURIE = /^(HP:\d{7}|MONDO:\d{7})$/;
const VARIANT = /^(?:chr)?([0-9]{1,2}|X|Y|MT|M)-(\d{1,9})-([ACGTN]+)-([ACGTN]+)$/i;
const REGION = /^(?:chr)?([0-9]{1,2}|X|Y|MT|M):(\d{1,9})-(\d{1,9})$/i;
const GENE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Cohort criteria: every field present must hold (AND); groups nest with anyOf and not. */
export interface CohortCriteria {
  datasets?: string[] | null;
  variants?: string[] | null;
  genes?: string[] | null;
  regions?: string[] | null;
  zygosity?: (typeof ZYGOSITIES)[number] | null;
  phenotypes?: string[] | null;
  diseases?: string[] | null;
  sex?: (typeof SEXES)[number] | null;
  ageMin?: number | null;
  ageMax?: number | null;
  /**
   * Whose word a phenotype or disease criterion takes: `any` (a dataset's ingest, the
   * participant's own report or a clinician; the default) or `clinician` (clinician-confirmed only).
   */
  termSource?: (typeof TERM_SOURCES)[number] | null;
  anyOf?: CohortCriteria[] | null;
  not?: CohortCriteria | null;
}

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1).max(max).nullish();

// One group of criteria; the whole tree's size is checked once, before this runs (below).
const CriteriaGroupSchema: z.ZodType<CohortCriteria> = z.lazy(() =>
  z
    .object({
      datasets: list(z.uuid({ message: 'must be a dataset id' }), 50),
      variants: list(
        z.string().trim().regex(VARIANT, { message: 'must look like 17-7674220-C-T' }),
        5_000,
      ),
      genes: list(z.string().trim().regex(GENE, { message: 'must be a gene symbol' }), 1_000),
      regions: list(
        z.string().trim().regex(REGION, { message: 'must look like 17:7661779-7687538' }),
        100,
      ),
      zygosity: z.enum(ZYGOSITIES).nullish(),
      phenotypes: list(
        z.string().trim().regex(CURIE, { message: 'must be an HPO or MONDO CURIE' }),
        50,
      ),
      diseases: list(
        z.string().trim().regex(CURIE, { message: 'must be an HPO or MONDO CURIE' }),
        50,
      ),
      sex: z.enum(SEXES).nullish(),
      ageMin: z.number().int().min(0).max(150).nullish(),
      ageMax: z.number().int().min(0).max(150).nullish(),
      termSource: z.enum(TERM_SOURCES).nullish(),
      anyOf: z.array(CriteriaGroupSchema).min(1).max(20).nullish(),
      not: CriteriaGroupSchema.nullish(),
    })
    .superRefine((c, ctx) => {
      if (c.ageMin != null && c.ageMax != null && c.ageMin > c.ageMax) {
        ctx.addIssue({ code: 'custom', path: ['ageMax'], message: 'must not be below ageMin' });
      }
      for (const [i, r] of (c.regions ?? []).entries()) {
        // A region that failed the pattern already has its issue; this refinement still runs.
        const m = REGION.exec(r);
        if (m && Number(m[2]) > Number(m[3]))
          ctx.addIssue({
            code: 'custom',
            path: ['regions', i],
            message: 'start must not exceed end',
          });
      }
    }),
);

/**
 * Validates criteria: first the size of the whole tree (groups, listed values, depth; see
 * criteria-limits.ts) without recursion, so an oversized or deeply nested tree is refused before
 * any work; then each group.
 */
export const CohortCriteriaSchema: z.ZodType<CohortCriteria, unknown> = z
  .unknown()
  .superRefine((raw, ctx) => {
    const problem = criteriaLimitProblem(raw);
    if (problem) ctx.addIssue({ code: 'custom', path: [], message: problem, fatal: true });
  })
  .pipe(CriteriaGroupSchema);

/** Normalises a chromosome name: no `chr` prefix, upper case, M → MT. */
export function normaliseChrom(chrom: string): string {
  const c = chrom.replace(/^chr/i, '').toUpperCase();
  return c === 'M' ? 'MT' : c;
}

/** A variant key as stored: `CHROM-POS-REF-ALT`, normalised. */
export function parseVariantKey(text: string): {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
} {
  const m = VARIANT.exec(text.trim());
  if (!m) throw new Error(`not a variant: ${text}`);
  return {
    chrom: normaliseChrom(m[1]!),
    pos: Number(m[2]),
    ref: m[3]!.toUpperCase(),
    alt: m[4]!.toUpperCase(),
  };
}

/** A region as `{ chrom, start, end }` (1-based, inclusive). */
export function parseRegion(text: string): { chrom: string; start: number; end: number } {
  const m = REGION.exec(text.trim());
  if (!m) throw new Error(`not a region: ${text}`);
  return { chrom: normaliseChrom(m[1]!), start: Number(m[2]), end: Number(m[3]) };
}

/** The key under which a variant is indexed. */
export function variantKey(chrom: string, pos: number, ref: string, alt: string): string {
  return `${normaliseChrom(chrom)}-${pos}-${ref.toUpperCase()}-${alt.toUpperCase()}`;
}
