import { signedIn } from '$lib/server/guard';
import { proxyDownload } from '$lib/server/proxy-download';
import type { RequestHandler } from './$types';

/** The participant's whole record as a FHIR R4 Bundle (the API audits the download). */
export const GET: RequestHandler = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const response = await proxyDownload(fetch, token, '/fhir/Patient/$everything');
  response.headers.set('content-disposition', 'attachment; filename="my-consentome-record.json"');
  return response;
};
