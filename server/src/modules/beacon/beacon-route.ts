import type { Database } from '../../db/database.js';
import { clientAddress, type ClientAddressSettings } from '../../http/client-address.js';
import type { Route, ServerContext } from '../../http/router.js';
import type { Logger } from '../../lib/logger.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import { filteringTermsResponse } from './beacon-filtering-terms.js';
import type { PublicTierLimits } from './beacon-public-tally.js';
import {
  configurationResponse,
  entryTypesResponse,
  infoResponse,
  mapResponse,
  serviceInfo,
  type BeaconIdentity,
} from './beacon-informational.js';
import { answerBeaconQuery } from './beacon-query.service.js';
import { BeaconRequestError } from './beacon-request-error.js';
import { readBeaconQuery, type BeaconQueryInput } from './beacon-request.js';
import { errorResponse, queryResponse } from './beacon-responses.js';
import type { BeaconEntryType } from './beacon-vocabulary.js';
import type { NetworkCallerCheck } from './network-callers.js';
import { noVisas, type VisaChecker } from './visa-checker.js';

/** Public-tier limits when none are configured. */
export const DEFAULT_PUBLIC_LIMITS: PublicTierLimits = { perMinute: 30, perDay: 1_000 };

/** Where the Beacon is served. */
export const BEACON_PREFIX = '/api/beacon';

/** What the Beacon route needs. */
export interface BeaconRouteDeps {
  db: Database;
  /**
   * The process's one counter (index, differencing guard, count settings, budget): the same
   * instance GraphQL's cohortCount uses, so a set asked through either door is one set.
   */
  counter: CohortCounter;
  /** The caller's visa-granted datasets; by default none (no controlled tier). */
  visas?: VisaChecker;
  /** Recognises other network members' researchers (federation); by default nobody. */
  network?: NetworkCallerCheck;
  /** Queries each other network member may send per UTC day; default 1,000. */
  memberBudgetPerDay?: number;
  /** Per-client limits of the public tier (`config.beacon`); default 30 a minute, 1,000 a day. */
  publicLimits?: PublicTierLimits;
  /** Who may say where a request came from (`TRUST_PROXY`, the portal's signed header); default: the socket. */
  addressSettings?: ClientAddressSettings;
  /** The clock of the public tally; tests pin it to stay inside one minute. */
  now?: () => Date;
  /** Beacon id (reverse domain); default `org.consentome.beacon`. */
  beaconId?: string;
  /** Public absolute URL of `/api/beacon`; default: the request's origin + the prefix. */
  baseUrl?: string;
  environment?: BeaconIdentity['environment'];
  log?: Logger;
}

const QUERY_PATHS: Record<string, BeaconEntryType> = {
  '/individuals': 'individual',
  '/g_variants': 'genomicVariant',
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

async function filteringPage(request: Request): Promise<{ skip: number; limit: number } | null> {
  // Only an explicit limit pages the list: clients building term pickers want all of it.
  if (request.method === 'GET') {
    if (!new URL(request.url).searchParams.has('limit')) return null;
  } else {
    const body = (await request
      .clone()
      .json()
      .catch(() => null)) as { query?: { pagination?: { limit?: unknown } } } | null;
    if (body?.query?.pagination?.limit === undefined) return null;
  }
  return (await readBeaconQuery(request)).pagination;
}

/**
 * The GA4GH Beacon v2 API under `/api/beacon`: informational endpoints (`/`, `/info`,
 * `/service-info`, `/map`, `/configuration`, `/entry_types`, `/filtering_terms`) and queries on
 * `/individuals` and `/g_variants` (GET query string or POST `beaconRequestBody`). Answers follow
 * the caller's tier: anonymous → exists; registered → protected counts; visa → per-dataset
 * protected counts. Bad requests get a 400 `beaconErrorResponse` naming what is wrong.
 */
export function beaconRoute(deps: BeaconRouteDeps): Route {
  const beaconId = deps.beaconId ?? 'org.consentome.beacon';
  const visas = deps.visas ?? noVisas;
  const publicLimits = deps.publicLimits ?? DEFAULT_PUBLIC_LIMITS;
  const now = deps.now ?? (() => new Date());

  const handle = async (request: Request, context: ServerContext): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.slice(BEACON_PREFIX.length).replace(/\/+$/, '') || '/';
    const identity: BeaconIdentity = {
      beaconId,
      baseUrl: (deps.baseUrl ?? `${url.origin}${BEACON_PREFIX}`).replace(/\/+$/, ''),
      environment: deps.environment ?? 'dev',
    };
    const entryType = QUERY_PATHS[path];
    const allowed = entryType || path === '/filtering_terms' ? ['GET', 'POST'] : ['GET'];
    let input: BeaconQueryInput | null = null;
    try {
      if (!allowed.includes(request.method))
        throw new BeaconRequestError(`${request.method} is not allowed on ${path}`, 405);
      if (entryType) {
        input = await readBeaconQuery(request);
        const answer = await answerBeaconQuery(
          {
            db: deps.db,
            counter: deps.counter,
            visas,
            publicLimits,
            now,
            network: deps.network,
            memberBudgetPerDay: deps.memberBudgetPerDay,
          },
          request,
          entryType,
          input,
          clientAddress(
            request,
            context.req?.socket.remoteAddress,
            deps.addressSettings ?? { trustedProxies: 0, portalForwardSecret: null },
          ),
        );
        return json(queryResponse(beaconId, entryType, input, answer));
      }
      switch (path) {
        case '/':
        case '/info':
          return json(infoResponse(identity));
        case '/service-info':
          return json(serviceInfo(identity));
        case '/map':
          return json(mapResponse(identity));
        case '/configuration':
          return json(configurationResponse(identity));
        case '/entry_types':
          return json(entryTypesResponse(identity));
        case '/filtering_terms':
          return json(
            await filteringTermsResponse(
              deps.db,
              beaconId,
              await filteringPage(request),
              deps.counter.settings.minCellCount,
            ),
          );
        default:
          throw new BeaconRequestError(
            `No Beacon endpoint ${path}; see ${identity.baseUrl}/map`,
            404,
          );
      }
    } catch (error) {
      if (error instanceof BeaconRequestError)
        return json(
          errorResponse(beaconId, error.status, error.message, entryType ?? null, input),
          error.status,
          error.status === 405 ? { allow: allowed.join(', ') } : {},
        );
      if (error instanceof RateLimitedError)
        return json(errorResponse(beaconId, 429, error.message, entryType ?? null, input), 429, {
          'retry-after': String(error.retryAfterSeconds),
        });
      deps.log?.error('beacon request failed', {
        path,
        error: error instanceof Error ? error.message : String(error),
      });
      return json(errorResponse(beaconId, 500, 'Internal error', entryType ?? null, input), 500);
    }
  };
  return { prefix: BEACON_PREFIX, handler: handle };
}
