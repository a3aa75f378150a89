import type { Database } from '../../db/database.js';
import { appErrorResponse } from '../../http/app-error-response.js';
import { bearerToken } from '../../http/request-viewer.js';
import type { Route } from '../../http/router.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { MemberRegistry } from './member-registry.js';
import {
  networkAccessRequestStatus,
  requestNetworkAccess,
} from './network-access-requests.service.js';
import { exportForNetwork } from './network-export.service.js';

/** What the network doors need: the process's registry and counter. */
export interface NetworkAccessRouteDeps {
  db: Database;
  registry: MemberRegistry;
  counter: CohortCounter;
  /** This server's Passport issuer (`PUBLIC_URL`). */
  issuer: string;
}

/**
 * The doors for researchers of other network members, each with their institution's DAC
 * visa (ControlledAccessGrants, checked against the chain registry) as the bearer token:
 * `POST /api/network/access-requests` with `{ "purpose": … }` registers a request here (the
 * purpose this site's terms and DAC judge), and `POST /api/network/exports` exports the
 * dataset once that request is approved; `GET /api/network/access-requests/<id>` says where
 * that request stands (for the member's server to poll). Errors are `{ error, code }` with
 * 400/403/404/409.
 */
export function networkAccessRoute(deps: NetworkAccessRouteDeps): Route {
  return {
    prefix: '/api/network',
    handler: async (request) => {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      const status = STATUS_PATH.exec(path);
      if (status) {
        if (request.method !== 'GET')
          return Response.json(
            { error: 'method not allowed' },
            { status: 405, headers: { Allow: 'GET' } },
          );
        return answer(async () =>
          Response.json(await networkAccessRequestStatus(deps, bearerToken(request), status[1]!), {
            headers: { 'cache-control': 'no-store' },
          }),
        );
      }
      const door =
        path === '/api/network/access-requests'
          ? 'request'
          : path === '/api/network/exports'
            ? 'export'
            : null;
      if (!door) return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'POST')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'POST' } },
        );
      return answer(async () => {
        const token = bearerToken(request);
        if (door === 'export')
          return Response.json(await exportForNetwork(deps, token), {
            headers: { 'cache-control': 'no-store' },
          });
        const body: unknown = await request.json().catch(() => null);
        return Response.json(await requestNetworkAccess(deps, token, body), { status: 201 });
      });
    },
  };
}

const STATUS_PATH = /^\/api\/network\/access-requests\/([^/]+)$/;

/** Runs a door, turning the services' errors into `{ error, code }` with their HTTP status. */
async function answer(door: () => Promise<Response>): Promise<Response> {
  try {
    return await door();
  } catch (error) {
    const response = appErrorResponse(error);
    if (response) return response;
    throw error;
  }
}
