import type { Handle } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { SESSION_COOKIE, clearSessionCookie, type Viewer } from '$lib/server/session';

/**
 * Reads the session once per request: the cookie's token is checked with the API's `me`.
 * A token the API no longer accepts (expired, logged out) is cleared, and the page learns the
 * session ended so it can say so.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const token = event.cookies.get(SESSION_COOKIE) ?? null;
  event.locals.viewer = null;
  event.locals.token = null;
  if (token) {
    try {
      const data = await apiText<{ me: Viewer | null }>(
        event.fetch,
        `{ me { id email displayName role institution } }`,
        {},
        token,
      );
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
  const response = await resolve(event);
  response.headers.set('x-frame-options', 'DENY');
  // 'no-referrer' would make Chromium send `Origin: null` on form posts, failing the CSRF check.
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-content-type-options', 'nosniff');
  return response;
};
