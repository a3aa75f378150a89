import { error } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api, ApiRequestError } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const MySignedConsent = graphql(`
  query MySignedConsent { mySignedConsent }
`);

/**
 * The participant's signed consent records as a file to keep: read from the chain by the API,
 * checkable offline with `consentome consent verify-file` (docs/signed-consent.md).
 */
export const GET: RequestHandler = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  let bundle: string;
  try {
    bundle = (await api(fetch, token, MySignedConsent, {})).mySignedConsent;
  } catch (e) {
    error(502, e instanceof ApiRequestError ? e.message : 'The records could not be read.');
  }
  return new Response(bundle, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="signed-consent.json"',
      'cache-control': 'no-store',
    },
  });
};
