import { normaliseChrom, variantKey, type CohortCriteria } from '../cohorts/cohort-criteria.js';
import { BeaconRequestError } from './beacon-request-error.js';

/** Assemblies the stored variants are on: VCFs are ingested against GRCh38. */
const ASSEMBLY = /^(GRCh38(\.p\d+)?|hg38)$/i;
const CHROMOSOMES = new Set([
  ...Array.from({ length: 22 }, (_, i) => String(i + 1)),
  'X',
  'Y',
  'MT',
]);
const BASES = /^[ACGTN]{1,1000}$/i;
// VCF POS as the cohort criteria accept it has at most 9 digits.
const MAX_POS = 999_999_999;

const VARIANT_KEYS = ['referenceName', 'start', 'end', 'referenceBases', 'alternateBases'];
const SUPPORTED = new Set([...VARIANT_KEYS, 'assemblyId', 'geneId', 'datasets', '$schema']);
const UNSUPPORTED = new Set([
  'variantType',
  'variantMinLength',
  'variantMaxLength',
  'aminoacidChange',
  'genomicAlleleShortForm',
  'mateName',
]);

function text(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !v.trim()) throw new BeaconRequestError(`${name} must be a string`);
  return v.trim();
}

function positions(params: Record<string, unknown>, name: string): number[] | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  if (
    list.length < 1 ||
    list.length > 2 ||
    !list.every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < MAX_POS)
  )
    throw new BeaconRequestError(`${name} must be one or two non-negative integers (0-based)`);
  return list as number[];
}

function datasetIds(params: Record<string, unknown>): string[] | undefined {
  const v = params.datasets;
  if (v === undefined || v === null) return undefined;
  const ids = (v as { datasetIds?: unknown }).datasetIds;
  if (
    typeof v !== 'object' ||
    !Array.isArray(ids) ||
    ids.length === 0 ||
    !ids.every((i) => typeof i === 'string')
  )
    throw new BeaconRequestError('datasets must be { "datasetIds": ["<dataset id>", …] }');
  return ids as string[];
}

/**
 * Turns Beacon request parameters into cohort criteria.
 *
 * Coordinates: Beacon `start` is 0-based (inclusive) and `end` 0-based exclusive, while stored
 * variants carry the 1-based VCF POS. So a sequence query maps to the key
 * `CHROM-(start+1)-REF-ALT`, and a range query `start`..`end` to the 1-based inclusive region
 * `(start+1)..end`, which matches variants whose POS lies in it. Alleles are compared as VCF
 * spells them (no left-alignment or trimming).
 */
export function criteriaFromRequestParameters(
  params: Record<string, unknown>,
): Pick<CohortCriteria, 'variants' | 'regions' | 'genes' | 'datasets'> {
  for (const key of Object.keys(params)) {
    if (UNSUPPORTED.has(key))
      throw new BeaconRequestError(`The request parameter ${key} is not supported by this beacon`);
    if (!SUPPORTED.has(key))
      throw new BeaconRequestError(
        `Unknown request parameter ${key}; supported: ${[...SUPPORTED].filter((k) => k !== '$schema').join(', ')}`,
      );
  }
  const out: Pick<CohortCriteria, 'variants' | 'regions' | 'genes' | 'datasets'> = {};
  const assembly = text(params, 'assemblyId');
  if (assembly !== undefined && !ASSEMBLY.test(assembly))
    throw new BeaconRequestError(`assemblyId ${assembly} is not served: variants are on GRCh38`);
  const gene = text(params, 'geneId');
  if (gene !== undefined) out.genes = [gene];
  const datasets = datasetIds(params);
  if (datasets) out.datasets = datasets;
  if (!VARIANT_KEYS.some((k) => params[k] !== undefined && params[k] !== null)) return out;

  const referenceName = text(params, 'referenceName');
  const start = positions(params, 'start');
  const end = positions(params, 'end');
  const ref = text(params, 'referenceBases');
  const alt = text(params, 'alternateBases');
  if (referenceName === undefined)
    throw new BeaconRequestError('referenceName is required with start, end or bases');
  const chrom = normaliseChrom(referenceName);
  if (!CHROMOSOMES.has(chrom))
    throw new BeaconRequestError(
      `referenceName ${referenceName} is not a GRCh38 primary chromosome (1-22, X, Y, MT)`,
    );
  if (!start) throw new BeaconRequestError('start (0-based) is required with referenceName');
  if (start.length > 1 || (end && end.length > 1))
    throw new BeaconRequestError('Bracket queries (two start or end values) are not supported');
  const s = start[0]!;
  if (end) {
    if (ref !== undefined || alt !== undefined)
      throw new BeaconRequestError(
        'A range query (start and end) cannot also give referenceBases or alternateBases here',
      );
    const e = end[0]!;
    if (e <= s) throw new BeaconRequestError('end must be greater than start (end is exclusive)');
    out.regions = [`${chrom}:${s + 1}-${e}`];
    return out;
  }
  if (alt === undefined || ref === undefined)
    throw new BeaconRequestError(
      'A sequence query needs referenceBases and alternateBases with start; for a range give end',
    );
  if (!BASES.test(ref) || !BASES.test(alt))
    throw new BeaconRequestError('referenceBases and alternateBases must be bases (A, C, G, T, N)');
  out.variants = [variantKey(chrom, s + 1, ref, alt)];
  return out;
}
