import { ValidationError } from '../../errors/app-errors.js';
import { parseRegion, parseVariantKey, type CohortCriteria } from '../cohorts/cohort-criteria.js';
import { SEX_TERMS } from '../beacon/beacon-vocabulary.js';

/** A Beacon v2 `/individuals` request body (`beaconRequestBody`) for a count. */
export interface BeaconCountRequest {
  meta: { apiVersion: 'v2.0' };
  query: {
    filters: { id: string }[];
    requestParameters: Record<string, unknown>;
    requestedGranularity: 'count';
    includeResultsetResponses: 'NONE';
  };
}

/** Criteria a federated count can send: what every member's Beacon answers the same way. */
const SENDABLE = new Set<keyof CohortCriteria>([
  'phenotypes',
  'diseases',
  'sex',
  'variants',
  'regions',
  'genes',
]);

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Turns cohort criteria into the Beacon v2 query every member answers: HPO and MONDO terms and
 * sex as filters (AND, descendants included), and at most one variant, region or gene as
 * request parameters (Beacon coordinates are 0-based). Criteria a Beacon cannot express
 * (datasets, which are local; age; zygosity; clinician-only terms; alternatives and
 * exclusions) are refused by name, rather than dropped, so nobody reads a broader count as the
 * one they asked for.
 */
export function beaconCountRequest(criteria: CohortCriteria): BeaconCountRequest {
  const unsupported = (Object.keys(criteria) as (keyof CohortCriteria)[]).filter(
    (k) =>
      present(criteria[k]) &&
      !SENDABLE.has(k) &&
      !(k === 'termSource' && criteria.termSource === 'any') &&
      !(k === 'zygosity' && criteria.zygosity === 'ANY'),
  );
  if (unsupported.length)
    throw new ValidationError(
      `The network scope counts by phenotypes, diseases, sex and one variant, region or gene; not by ${unsupported.join(', ')}`,
    );
  const genomic =
    (criteria.variants?.length ?? 0) +
    (criteria.regions?.length ?? 0) +
    (criteria.genes?.length ?? 0);
  if (genomic > 1)
    throw new ValidationError(
      'The network scope takes at most one variant, region or gene (a Beacon query has one)',
    );
  const filters: { id: string }[] = [
    ...(criteria.phenotypes ?? []).map((id) => ({ id })),
    ...(criteria.diseases ?? []).map((id) => ({ id })),
  ];
  if (criteria.sex) {
    const term = Object.entries(SEX_TERMS).find(([, t]) => t.sex === criteria.sex)?.[0];
    if (term) filters.push({ id: term });
  }
  const requestParameters: Record<string, unknown> = {};
  const variant = criteria.variants?.[0];
  if (variant) {
    const v = parseVariantKey(variant);
    Object.assign(requestParameters, {
      assemblyId: 'GRCh38',
      referenceName: v.chrom,
      start: [v.pos - 1],
      referenceBases: v.ref,
      alternateBases: v.alt,
    });
  }
  const region = criteria.regions?.[0];
  if (region) {
    const r = parseRegion(region);
    Object.assign(requestParameters, {
      assemblyId: 'GRCh38',
      referenceName: r.chrom,
      start: [r.start - 1],
      end: [r.end],
    });
  }
  const gene = criteria.genes?.[0];
  if (gene) requestParameters.geneId = gene;
  if (!filters.length && !Object.keys(requestParameters).length)
    throw new ValidationError('A network count needs at least one criterion');
  return {
    meta: { apiVersion: 'v2.0' },
    query: {
      filters,
      requestParameters,
      requestedGranularity: 'count',
      includeResultsetResponses: 'NONE',
    },
  };
}
