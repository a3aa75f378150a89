import type { IncomingMessage } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { dropForgeableCookie, type CookieOrigins } from './request-viewer.js';

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

/** What every request must satisfy before any handler sees it. */
export interface RouterSettings extends CookieOrigins {
  /** The largest upload in bytes: a multipart body may be this plus `MAX_REQUEST_BYTES`. */
  uploadMaxBytes: number;
}

/** The largest body of any other request (GraphQL JSON, FHIR, Beacon): 2 MiB. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

function refusal(status: number, code: string, error: string): Response {
  return Response.json({ error, code }, { status, headers: { connection: 'close' } });
}

/**
 * Refuses a body over its limit before anything reads it. A body of unknown length (chunked)
 * is refused too: every client the API serves (browsers, curl, the portal) sends its length.
 */
function bodyRefusal(request: Request, settings: RouterSettings): Response | null {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
    return null;
  const multipart = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
  const limit = multipart ? settings.uploadMaxBytes + MAX_REQUEST_BYTES : MAX_REQUEST_BYTES;
  const declared = request.headers.get('content-length');
  if (declared === null) {
    return request.headers.has('transfer-encoding')
      ? refusal(411, 'LENGTH_REQUIRED', 'Send the body with a Content-Length.')
      : null;
  }
  return Number(declared) > limit
    ? refusal(413, 'PAYLOAD_TOO_LARGE', `The body is over the limit of ${limit} bytes.`)
    : null;
}

/**
 * One entry point for the HTTP API: standard endpoints (Beacon, FHIR, JWKS) by path prefix,
 * GraphQL for everything else. The result is a Node request listener and a fetch function.
 * Every request first passes the body limit, and loses a session cookie that another site's
 * page could have made the browser send (CSRF).
 */
export function createRouter(routes: Route[], fallback: FetchHandler, settings: RouterSettings) {
  const dispatch: FetchHandler = (request, context) => {
    const refused = bodyRefusal(request, settings);
    if (refused) return refused;
    dropForgeableCookie(request, settings);
    const { pathname } = new URL(request.url);
    const route = routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
    return (route?.handler ?? fallback)(request, context);
  };
  return createServerAdapter<ServerContext>(dispatch);
}
