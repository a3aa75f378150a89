import { redirect } from '@sveltejs/kit';
import { FLOW_COOKIE, CompleteInstitutionSignIn } from '$lib/server/institution-sign-in';
import { mutate } from '$lib/server/mutate';
import { setSessionCookie } from '$lib/server/session';
import type { RequestHandler } from './$types';

/**
 * Where an institution's provider sends the browser back. The API checks everything (state,
 * this browser's flow token, the code, the ID token); the portal only carries the URL and the
 * cookie across, and stores the session the API opens.
 */
export const GET: RequestHandler = async ({ url, cookies, fetch, locals }) => {
  const flowToken = cookies.get(FLOW_COOKIE) ?? '';
  const secure = url.protocol === 'https:';
  cookies.delete(FLOW_COOKIE, { path: '/login/oidc', httpOnly: true, sameSite: 'lax', secure });
  let outcome: 'signed_in' | 'linked' | string;
  try {
    const r = await mutate(fetch, locals.token, CompleteInstitutionSignIn, {
      u: url.href,
      f: flowToken,
    });
    if (!r.ok) outcome = r.code;
    else if (r.data.linked) outcome = 'linked';
    else {
      setSessionCookie(cookies, r.data.token!, new Date(r.data.expiresAt!), secure);
      outcome = 'signed_in';
    }
  } catch {
    outcome = 'API_UNREACHABLE';
  }
  if (outcome === 'signed_in') redirect(303, '/');
  if (outcome === 'linked') redirect(303, '/account?linked=1');
  redirect(303, `/login?institution=${encodeURIComponent(outcome)}`);
};
