import type { IncomingMessage } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';

/** What the Node adapter hands every handler besides the request. */
export interface ServerContext {
  req?: IncomingMessage;
}

/** A handler in the Fetch API style: tests call it with a Request, no port needed. */
export type FetchHandler = (
  request: Request,
  context: ServerContext,
) => Response | Promise<Response>;

/** A handler for every path under `prefix` (e.g. `/api/beacon`). */
export interface Route {
  prefix: string;
  handler: FetchHandler;
}

/**
 * One entry point for the HTTP API: standard endpoints (Beacon, FHIR, JWKS) by path prefix,
 * GraphQL for everything else. The result is a Node request listener and a fetch function.
 */
export function createRouter(routes: Route[], fallback: FetchHandler) {
  const dispatch: FetchHandler = (request, context) => {
    const { pathname } = new URL(request.url);
    const route = routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
    return (route?.handler ?? fallback)(request, context);
  };
  return createServerAdapter<ServerContext>(dispatch);
}
