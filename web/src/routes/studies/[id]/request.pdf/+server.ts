import { error } from '@sveltejs/kit';
import { signedIn } from '$lib/server/guard';
import { proxyDownload } from '$lib/server/proxy-download';
import type { RequestHandler } from './$types';

const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads a study's full access request as a PDF (for its requester and the committees
 * deciding it, and its institution’s signing officials; the API checks and audits the print).
 * See proxyDownload.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!ID.test(params.id)) error(404, { message: 'There is no such study.', code: 'NOT_FOUND' });
  return proxyDownload(fetch, token, `/api/studies/${params.id}/request.pdf`);
};
