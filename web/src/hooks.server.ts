import type { Handle } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { guardRoute } from '$lib/server/route-guard';
import { SESSION_COOKIE, clearSessionCookie } from '$lib/server/session';

const Me = graphql(`
  query Me { me { id email displayName role institution } }
`);

/**
 * Reads the session once per request: the cookie's token is checked with the API's `me`.
 * A token the API no longer accepts (expired, logged out) is cleared, and the page learns the
 * session ended so it can say so. Then the route guard lets the request through or refuses it.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const token = event.cookies.get(SESSION_COOKIE) ?? null;
  event.locals.viewer = null;
  event.locals.token = null;
  if (token) {
    try {
      const data = await api(event.fetch, token, Me, {});
      if (data.me) {
        event.locals.viewer = data.me;
        event.locals.token = token;
      } else {
        clearSessionCookie(event.cookies, event.url.protocol === 'https:');
        event.cookies.set('consentome_notice', 'expired', {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: event.url.protocol === 'https:',
          maxAge: 60,
        });
      }
    } catch {
      // API down: treat as signed out for this request; pages show the API error themselves.
    }
  }
  // Who may open what: the route table of $lib/access, applied once here for every route.
  guardRoute(event);
  const response = await resolve(event);
  response.headers.set('x-frame-options', 'DENY');
  // 'no-referrer' would make Chromium send `Origin: null` on form posts, failing the CSRF check.
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-content-type-options', 'nosniff');
  return response;
};
