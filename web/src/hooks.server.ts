import { error, redirect, type Handle, type HandleFetch } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { bodyLimitFor } from '$lib/server/body-limits';
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_USER_AGENT_HEADER,
  signedClientAddress,
  signedUserAgent,
} from '$lib/server/client-address';
import { ACTING_FOR_HEADER, readActingFor } from '$lib/server/acting-for';
import { apiOrigin } from '$lib/server/filtering-terms';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { languageRequest } from '$lib/server/locale';
import { guardRoute } from '$lib/server/route-guard';
import { MySecondFactor } from '$lib/server/second-factor';
import { SESSION_COOKIE, clearSessionCookie } from '$lib/server/session';

const Me = graphql(`
  query Me { me { id email displayName role institution locale } }
`);

/**
 * Reads the session once per request: the cookie's token is checked with the API's `me`.
 * A token the API no longer accepts (expired, logged out) is cleared, and the page learns the
 * session ended so it can say so. Then the route guard lets the request through or refuses it,
 * and the page is rendered in the person's language (`$lib/server/locale`).
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
  const forLanguage = languageRequest(event, event.locals.viewer?.locale);
  return paraglideMiddleware(forLanguage, async ({ locale }) => {
    if (event.locals.token) await askForSecondFactor(event.locals.token, event);
    refuseOversizedBody(event.request, bodyLimitFor(event.route.id, event.locals.viewer));
    refuseCrossSiteDownload(event.request, event.route.id);
    // Who may open what: the route table of $lib/access, applied once here for every route.
    guardRoute(event);
    const response = await resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%lang%', locale),
    });
    return secureHeaders(response);
  });
};

/** Headers every answer carries. */
function secureHeaders(response: Response): Response {
  response.headers.set('x-frame-options', 'DENY');
  // 'no-referrer' would make Chromium send `Origin: null` on form posts, failing the CSRF check.
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-content-type-options', 'nosniff');
  return response;
}

/** Routes a session may use before its second factor: the account page, and signing out. */
const BEFORE_SECOND_FACTOR = new Set(['/account', '/logout', '/login', '/login/oidc/callback']);

/**
 * A role that must use a second factor (the API's MFA_REQUIRED_ROLES) is sent to its account
 * page until this session has proved one; the API refuses everything else meanwhile anyway.
 */
async function askForSecondFactor(
  token: string,
  event: Parameters<Handle>[0]['event'],
): Promise<void> {
  if (!event.route.id || BEFORE_SECOND_FACTOR.has(event.route.id)) return;
  const factor = await api(event.fetch, token, MySecondFactor, {})
    .then((d) => d.mySecondFactor)
    .catch(() => null);
  if (factor?.required && !factor.sessionVerifiedAt) redirect(303, '/account?second_factor=1');
}

/**
 * Refuses a body over the route's limit before anything reads it (413), and a body of unknown
 * length (411): browsers always send the length of a form. adapter-node's BODY_SIZE_LIMIT is
 * the upload limit; this keeps every other route, and every anonymous caller, far below it.
 */
function refuseOversizedBody(request: Request, limit: number): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const declared = request.headers.get('content-length');
  if (declared === null) {
    if (request.headers.has('transfer-encoding'))
      error(411, { message: 'Send the form with its length.', code: 'LENGTH_REQUIRED' });
    return;
  }
  if (Number(declared) > limit)
    error(413, { message: 'This form is too large.', code: 'PAYLOAD_TOO_LARGE' });
}

/** Downloads of participant-level files: only from the portal's own pages, or typed in. */
const DOWNLOAD_ROUTES = new Set(['/exports/[id]/[file]', '/audit/export.csv']);

/**
 * The session cookie is SameSite=Lax, so a link on another site (or another port of this host)
 * would carry it on a GET: a download is refused unless the browser says the request came from
 * this origin or from the user directly (`Sec-Fetch-Site`), so no other page can make a user
 * download, and audit, an export behind their back.
 */
function refuseCrossSiteDownload(request: Request, routeId: string | null): void {
  if (!routeId || !DOWNLOAD_ROUTES.has(routeId)) return;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site')
    error(403, { message: 'Open downloads from the portal itself.', code: 'FORBIDDEN' });
}

/**
 * Every call to the API carries the browser's address, signed with the secret shared with the
 * API, so the API's rate limits apply per browser rather than to the portal as a whole; and the
 * browser's User-Agent, so the sessions it opens are listed with their device.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  if (!request.url.startsWith(`${apiOrigin()}/`)) return fetch(request);
  const headers = new Headers(request.headers);
  const userAgent = signedUserAgent(event.request);
  if (userAgent) headers.set(CLIENT_USER_AGENT_HEADER, userAgent);
  const address = clientAddressOf(event);
  const signed = address === null ? null : signedClientAddress(address);
  if (signed) headers.set(CLIENT_ADDRESS_HEADER, signed);
  // A representative acting for someone: every API call says for whom (the API checks it).
  const acting = readActingFor(event.cookies);
  if (acting) headers.set(ACTING_FOR_HEADER, acting.participantId);
  return fetch(new Request(request, { headers }));
};

/** The browser's address, or null when adapter-node's ADDRESS_HEADER is set but missing. */
function clientAddressOf(event: Parameters<HandleFetch>[0]['event']): string | null {
  try {
    return event.getClientAddress();
  } catch {
    return null;
  }
}
