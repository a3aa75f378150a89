import { error } from '@sveltejs/kit';
import { signedIn } from '$lib/server/guard';
import { proxyDownload } from '$lib/server/proxy-download';
import type { RequestHandler } from './$types';

const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads a document of a study's request: the API decrypts it, checks its SHA-256 (a tampered
 * file is refused with 409 and its reason), audits the view and repeats the digest in
 * `x-content-sha256`, which is passed on. See proxyDownload.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!ID.test(params.id) || !ID.test(params.docId))
    error(404, { message: 'There is no such study.', code: 'NOT_FOUND' });
  return proxyDownload(fetch, token, `/api/studies/${params.id}/documents/${params.docId}`);
};
