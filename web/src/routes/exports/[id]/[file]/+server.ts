import { error } from '@sveltejs/kit';
import { apiOrigin } from '$lib/server/filtering-terms';
import { signedIn } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const FILES = new Set(['vcf', 'manifest.json']);
const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads an export's VCF or manifest through the portal: the API authorises by bearer token,
 * and the token stays on this server (the browser only holds its HttpOnly session cookie).
 * The body is streamed through unchanged; the API decides who may read it and audits the read.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!FILES.has(params.file) || !ID.test(params.id))
    error(404, { message: 'No such export file.', code: 'NOT_FOUND' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiOrigin()}/api/exports/${params.id}/${params.file}`, {
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
