import type { BeaconAnswer } from './beacon-query.service.js';
import type { BeaconQueryInput } from './beacon-request.js';
import { BEACON_API_VERSION, ENTRY_TYPES, type BeaconEntryType } from './beacon-vocabulary.js';

type Json = Record<string, unknown>;

/** The `meta` of informational responses (`/info`, `/map`, `/configuration`, …). */
export function informationalMeta(beaconId: string): Json {
  return { beaconId, apiVersion: BEACON_API_VERSION, returnedSchemas: [] };
}

function requestSummary(input: BeaconQueryInput | null): Json {
  if (!input)
    return {
      apiVersion: BEACON_API_VERSION,
      requestedSchemas: [],
      pagination: {},
      requestedGranularity: 'boolean',
    };
  // `requestParameters` is not echoed: the v2.0 summary schema wants every parameter to be an
  // object, which `referenceName` or `start` are not. `filters` are echoed by id, as it wants.
  return {
    apiVersion: input.apiVersion,
    requestedSchemas: input.requestedSchemas,
    filters: input.filters.map((f) => f.id),
    pagination: input.pagination,
    requestedGranularity: input.requestedGranularity,
    includeResultsetResponses: input.includeResultsetResponses,
    testMode: input.testMode,
  };
}

function responseMeta(
  beaconId: string,
  entryType: BeaconEntryType | null,
  input: BeaconQueryInput | null,
  returnedGranularity: 'boolean' | 'count',
): Json {
  return {
    beaconId,
    apiVersion: BEACON_API_VERSION,
    returnedGranularity,
    returnedSchemas: entryType
      ? [{ entityType: entryType, schema: ENTRY_TYPES[entryType].schemaId }]
      : [],
    receivedRequestSummary: requestSummary(input),
    ...(input?.testMode ? { testMode: true } : {}),
  };
}

/**
 * The Beacon response for an answer: `beaconResultsetsResponse` when the caller holds visas and
 * asked for result sets, `beaconCountResponse` when a total can be shown, else
 * `beaconBooleanResponse`. A suppressed total is never given as a number: the response drops to
 * boolean granularity (`exists: true`), as the spec lets `returnedGranularity` fall below the
 * requested one, with `info.countSuppressed` saying why. A suppressed result set keeps
 * `exists: true` but (since v2.0 makes `resultsCount` mandatory) reports `resultsCount: 0` —
 * literally the number of `results` it holds — with `info.returnedGranularity: "boolean"`.
 */
export function queryResponse(
  beaconId: string,
  entryType: BeaconEntryType,
  input: BeaconQueryInput,
  answer: BeaconAnswer,
): Json {
  const { total } = answer;
  const info: Json = {
    // Counts are always of participants, also on g_variants (never of variant records).
    countedEntity: 'individual',
    ...(total && total.count === null
      ? { countSuppressed: true, countDisplay: total.display }
      : {}),
    ...(answer.notes.length ? { notes: answer.notes } : {}),
  };
  const meta = responseMeta(beaconId, entryType, input, answer.returnedGranularity);
  const summary: Json = {
    exists: answer.exists,
    ...(total?.count != null ? { numTotalResults: total.count } : {}),
  };
  if (answer.resultSets)
    return {
      meta,
      responseSummary: summary,
      response: {
        resultSets: answer.resultSets.map((r) => ({
          id: r.id,
          setType: 'dataset',
          exists: r.exists,
          resultsCount: r.count.count ?? 0,
          results: [],
          info:
            r.count.count === null
              ? {
                  name: r.name,
                  returnedGranularity: 'boolean',
                  countSuppressed: true,
                  countDisplay: r.count.display,
                }
              : { name: r.name, returnedGranularity: 'count' },
        })),
      },
      info,
    };
  return { meta, responseSummary: summary, info };
}

/** A `beaconErrorResponse`: the HTTP status doubles as `errorCode`. */
export function errorResponse(
  beaconId: string,
  status: number,
  message: string,
  entryType: BeaconEntryType | null = null,
  input: BeaconQueryInput | null = null,
): Json {
  return {
    meta: responseMeta(beaconId, entryType, input, 'boolean'),
    error: { errorCode: status, errorMessage: message },
  };
}
