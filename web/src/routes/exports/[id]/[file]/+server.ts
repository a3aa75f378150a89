import { error } from '@sveltejs/kit';
import { signedIn } from '$lib/server/guard';
import { proxyDownload } from '$lib/server/proxy-download';
import type { RequestHandler } from './$types';

const FILES = new Set(['vcf', 'vcf.gz', 'vcf.gz.tbi', 'manifest.json']);
const ID = /^[0-9a-f-]{36}$/i;

/**
 * Downloads an export's VCF (BGZF), its tabix index or its manifest through the portal (see
 * proxyDownload), byte ranges included.
 */
export const GET: RequestHandler = async ({ locals, params, fetch, request }) => {
  const { token } = signedIn(locals);
  if (!FILES.has(params.file) || !ID.test(params.id))
    error(404, { message: 'No such export file.', code: 'NOT_FOUND' });
  return proxyDownload(fetch, token, `/api/exports/${params.id}/${params.file}`, request);
};
