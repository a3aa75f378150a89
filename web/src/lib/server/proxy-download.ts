import { error } from '@sveltejs/kit';
import { apiOrigin } from './filtering-terms';

/** The response headers a download passes on besides its body. */
const PASSED_ON = [
  'content-type',
  'content-disposition',
  'x-content-sha256',
  'content-length',
  'accept-ranges',
  'content-range',
  'etag',
];
/** The request headers passed to the API, so a client can resume or read part of a file. */
const RANGE_HEADERS = ['range', 'if-range'];

/**
 * Streams a file the API serves (an export, a request PDF, a request document) to the browser:
 * the API authorises by bearer token and audits the read, and the token stays on this server
 * (the browser only holds its HttpOnly session cookie). An API refusal becomes the portal's error
 * page with the API's message; an unreachable API a 502. With `request`, its `Range` and
 * `If-Range` go to the API and a partial answer (206, or 416 for a range past the end) comes
 * back as the API gave it, streamed, never buffered here.
 */
export async function proxyDownload(
  fetchFn: typeof fetch,
  token: string,
  apiPath: string,
  request?: Request,
): Promise<Response> {
  let upstream: Response;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const name of RANGE_HEADERS) {
    const value = request?.headers.get(name);
    if (value) headers[name] = value;
  }
  try {
    upstream = await fetchFn(`${apiOrigin()}${apiPath}`, { headers });
  } catch {
    error(502, { message: 'The Consentome API is not reachable.', code: 'API_UNREACHABLE' });
  }
  if (upstream.status === 416)
    return new Response(null, {
      status: 416,
      headers: { 'content-range': upstream.headers.get('content-range') ?? '' },
    });
  if (!upstream.ok) {
    const body = (await upstream.json().catch(() => ({}))) as { error?: string; code?: string };
    error(upstream.status === 401 ? 403 : upstream.status, {
      message: body.error ?? `The API answered ${upstream.status}.`,
      code: body.code ?? 'API_ERROR',
    });
  }
  const passed = new Headers({ 'cache-control': 'no-store' });
  for (const name of PASSED_ON) {
    const value = upstream.headers.get(name);
    if (value) passed.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: passed });
}
