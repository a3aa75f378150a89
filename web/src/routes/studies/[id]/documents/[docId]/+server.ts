import { error } from '@sveltejs/kit';
import { apiOrigin } from '$lib/server/filtering-terms';
import { signedIn } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads a document of a study's request through the portal (for its requester and the
 * committees deciding it): the API decrypts it, checks its SHA-256 (a tampered file is refused
 * with 409 and its reason), audits the view and repeats the digest in `x-content-sha256`.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!ID.test(params.id) || !ID.test(params.docId))
    error(404, { message: 'There is no such study.', code: 'NOT_FOUND' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiOrigin()}/api/studies/${params.id}/documents/${params.docId}`, {
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
  for (const name of ['content-type', 'content-disposition', 'x-content-sha256'])
    if (upstream.headers.get(name)) headers.set(name, upstream.headers.get(name)!);
  return new Response(upstream.body, { headers });
};
