import { signedIn } from '$lib/server/guard';
import { proxyDownload } from '$lib/server/proxy-download';
import type { RequestHandler } from './$types';

/** The participant's record as a printable PDF summary (the API audits the download). */
export const GET: RequestHandler = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return proxyDownload(fetch, token, '/api/record/summary.pdf');
};
