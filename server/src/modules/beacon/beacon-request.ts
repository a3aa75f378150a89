import { z } from 'zod';
import { BeaconRequestError } from './beacon-request-error.js';
import {
  BEACON_API_VERSION,
  GRANULARITIES,
  RESULTSET_INCLUSIONS,
  type Granularity,
  type ResultsetInclusion,
} from './beacon-vocabulary.js';

/** One filter as a Beacon request carries it (ontology, alphanumeric or custom filter). */
export interface BeaconFilter {
  id: string;
  scope?: string;
  includeDescendantTerms?: boolean;
  similarity?: string;
  operator?: string;
  value?: string;
}

/** A Beacon query, from a GET query string or a POST body, with the spec's defaults applied. */
export interface BeaconQueryInput {
  apiVersion: string;
  requestedSchemas: { entityType?: string; schema?: string }[];
  filters: BeaconFilter[];
  requestParameters: Record<string, unknown>;
  requestedGranularity: Granularity;
  includeResultsetResponses: ResultsetInclusion;
  pagination: { skip: number; limit: number };
  testMode: boolean;
}

const MAX_FILTERS = 50;

const FilterSchema = z.union([
  // Some clients send bare CURIEs in POST bodies too, as GET does.
  z
    .string()
    .min(1)
    .max(200)
    .transform((id) => ({ id })),
  z.looseObject({
    id: z.string().min(1).max(200),
    scope: z.string().max(100).optional(),
    includeDescendantTerms: z.boolean().optional(),
    similarity: z.string().optional(),
    operator: z.string().optional(),
    value: z.string().max(200).optional(),
  }),
]);

const BodySchema = z.looseObject({
  $schema: z.string().optional(),
  meta: z
    .looseObject({
      apiVersion: z.string().max(20).optional(),
      requestedSchemas: z
        .array(
          z.looseObject({
            entityType: z.string().max(100).optional(),
            schema: z.string().max(500).optional(),
          }),
        )
        .max(20)
        .optional(),
    })
    .optional(),
  query: z
    .looseObject({
      requestParameters: z.record(z.string(), z.unknown()).optional(),
      filters: z.array(FilterSchema).max(MAX_FILTERS).optional(),
      includeResultsetResponses: z.enum(RESULTSET_INCLUSIONS).optional(),
      pagination: z
        .looseObject({
          skip: z.number().int().min(0).optional(),
          limit: z.number().int().min(0).optional(),
        })
        .optional(),
      requestedGranularity: z.enum(GRANULARITIES).optional(),
      testMode: z.boolean().optional(),
    })
    .optional(),
});

/** GET parameters that are not request parameters of an entry type. */
const QUERY_CONTROLS = new Set([
  'filters',
  'requestedGranularity',
  'granularity',
  'includeResultsetResponses',
  'skip',
  'limit',
  'testMode',
  'requestedSchema',
  'apiVersion',
]);

/** GET spellings of the g_variants request parameters (the spec's are `geneid` and `allele`). */
const GET_PARAMETER_NAMES: Record<string, string> = {
  geneid: 'geneId',
  allele: 'genomicAlleleShortForm',
};

const LIST_PARAMETERS = new Set(['start', 'end']);

function issueText(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

function integerList(name: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^\d{1,10}$/.test(p)))
    throw new BeaconRequestError(
      `${name} must be one or two non-negative integers, e.g. ${name}=7674219`,
    );
  return parts.map(Number);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new BeaconRequestError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
}

function nonNegative(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new BeaconRequestError(`${name} must be a non-negative integer`);
  return Number(value);
}

/** Reads a GET query string: repeated or comma-separated `filters`, request parameters as such. */
export function queryFromSearchParams(params: URLSearchParams): BeaconQueryInput {
  const single = (name: string) => {
    const all = params.getAll(name);
    if (all.length > 1) throw new BeaconRequestError(`${name} may be given once`);
    return all[0];
  };
  const filters = params
    .getAll('filters')
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean)
    .map((id) => ({ id }));
  if (filters.length > MAX_FILTERS)
    throw new BeaconRequestError(`at most ${MAX_FILTERS} filters are accepted`);
  const requestParameters: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    if (QUERY_CONTROLS.has(name)) continue;
    const value = single(name)!;
    const key = GET_PARAMETER_NAMES[name] ?? name;
    requestParameters[key] = LIST_PARAMETERS.has(key) ? integerList(key, value) : value;
  }
  const granularity = single('requestedGranularity') ?? single('granularity');
  const include = single('includeResultsetResponses');
  const skip = single('skip');
  const limit = single('limit');
  const testMode = single('testMode');
  const schema = single('requestedSchema');
  if (testMode !== undefined && testMode !== 'true' && testMode !== 'false')
    throw new BeaconRequestError('testMode must be true or false');
  return {
    apiVersion: single('apiVersion') ?? BEACON_API_VERSION,
    requestedSchemas: schema ? [{ schema }] : [],
    filters,
    requestParameters,
    requestedGranularity: granularity
      ? oneOf('requestedGranularity', granularity, GRANULARITIES)
      : 'boolean',
    includeResultsetResponses: include
      ? oneOf('includeResultsetResponses', include, RESULTSET_INCLUSIONS)
      : 'HIT',
    pagination: {
      skip: skip === undefined ? 0 : nonNegative('skip', skip),
      limit: limit === undefined ? 10 : nonNegative('limit', limit),
    },
    testMode: testMode === 'true',
  };
}

/** Reads a POST body (`beaconRequestBody`): `{ meta, query: { requestParameters, filters, … } }`. */
export function queryFromBody(body: unknown): BeaconQueryInput {
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success)
    throw new BeaconRequestError(`Invalid request body: ${issueText(parsed.error)}`);
  const { meta, query } = parsed.data;
  return {
    apiVersion: meta?.apiVersion ?? BEACON_API_VERSION,
    requestedSchemas: (meta?.requestedSchemas ?? []).map((s) => ({
      ...(s.entityType === undefined ? {} : { entityType: s.entityType }),
      ...(s.schema === undefined ? {} : { schema: s.schema }),
    })),
    filters: query?.filters ?? [],
    requestParameters: query?.requestParameters ?? {},
    // The spec's default granularity is boolean: counts must be asked for.
    requestedGranularity: query?.requestedGranularity ?? 'boolean',
    includeResultsetResponses: query?.includeResultsetResponses ?? 'HIT',
    pagination: { skip: query?.pagination?.skip ?? 0, limit: query?.pagination?.limit ?? 10 },
    testMode: query?.testMode ?? false,
  };
}

const MAX_BODY_BYTES = 64 * 1024;

/** Reads the query of a GET or POST request; anything malformed is a `BeaconRequestError`. */
export async function readBeaconQuery(request: Request): Promise<BeaconQueryInput> {
  if (request.method === 'GET') return queryFromSearchParams(new URL(request.url).searchParams);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES)
    throw new BeaconRequestError(`The request body exceeds ${MAX_BODY_BYTES} bytes`, 413);
  if (!text.trim()) return queryFromBody({});
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BeaconRequestError('The request body is not valid JSON');
  }
  return queryFromBody(body);
}
