import { error } from '@sveltejs/kit';
import { apiOrigin } from '$lib/server/filtering-terms';
import { signedIn } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads a study's full access request as a PDF through the portal (for its requester and the
 * committees deciding it): the API authorises by bearer token and audits the print; the token
 * stays on this server.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!ID.test(params.id)) error(404, { message: 'There is no such study.', code: 'NOT_FOUND' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiOrigin()}/api/studies/${params.id}/request.pdf`, {
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
  for (const name of ['content-type', 'content-disposition'])
    if (upstream.headers.get(name)) headers.set(name, upstream.headers.get(name)!);
  return new Response(upstream.body, { headers });
};
