import { error } from '@sveltejs/kit';
import { apiOrigin } from './filtering-terms';

/** The response headers a download passes on besides its body. */
const PASSED_ON = ['content-type', 'content-disposition', 'x-content-sha256'];

/**
 * Streams a file the API serves (an export, a request PDF, a request document) to the browser:
 * the API authorises by bearer token and audits the read, and the token stays on this server
 * (the browser only holds its HttpOnly session cookie). An API refusal becomes the portal's error
 * page with the API's message; an unreachable API a 502.
 */
export async function proxyDownload(
  fetchFn: typeof fetch,
  token: string,
  apiPath: string,
): Promise<Response> {
  let upstream: Response;
  try {
    upstream = await fetchFn(`${apiOrigin()}${apiPath}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    error(502, { message: 'The Consentome API is not reachable.', code: 'API_UNREACHABLE' });
  }
  if (!upstream.ok) {
    const body = (await upstream.json().catch(() => ({}))) as { error?: string; code?: string };
    error(upstream.status === 401 ? 403 : upstream.status, {
      message: body.error ?? `The API answered ${upstream.status}.`,
      code: body.code ?? 'API_ERROR',
    });
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of PASSED_ON) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { headers });
}
