import { redirect } from '@sveltejs/kit';
import { BeginInstitutionSignIn, setFlowCookie } from '$lib/server/institution-sign-in';
import { mutate } from '$lib/server/mutate';
import type { RequestHandler } from './$types';

/**
 * The "Sign in with <institution>" button: the API starts the flow (state, nonce, PKCE), the
 * browser keeps the flow token in an HttpOnly cookie and goes to the provider. A POST (a form
 * of the sign-in page), so another site cannot start sign-ins in the user's name.
 */
export const POST: RequestHandler = async ({ params, cookies, fetch, url }) => {
  let target = '/login?institution=API_UNREACHABLE';
  try {
    const started = await mutate(fetch, null, BeginInstitutionSignIn, { p: params.provider });
    if (!started.ok) target = `/login?institution=${encodeURIComponent(started.code)}`;
    else {
      setFlowCookie(cookies, started.data.flowToken, url.protocol === 'https:');
      target = started.data.authorizationUrl;
    }
  } catch {
    // The API is down: the sign-in page says so.
  }
  redirect(303, target);
};
