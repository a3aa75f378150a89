import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { resolveSession } from '../modules/accounts/accounts.service.js';
import type { UserActor } from '../modules/actors/actor.js';
import { readSessionCookie } from '../modules/accounts/session-cookie.js';

/** The bearer token of a request (`Authorization: Bearer …`), if any. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/** The origins whose pages may use the session cookie: the portal's and the API's own. */
export type CookieOrigins = Pick<Config, 'webOrigin' | 'publicUrl'>;

/**
 * True when a browser could not have sent this request on another site's behalf, so its
 * cookie may stand for the user. Browsers name the page's origin (`Origin`) on every
 * cross-origin request and on same-origin writes, and say where a request comes from in
 * `Sec-Fetch-Site`; a request with neither came from a program, not a page. A link or form on
 * any other site (even another port of this host, which is "same-site") is refused.
 */
export function cookieMayAuthenticate(request: Request, origins: CookieOrigins): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) {
    return (
      origin === new URL(origins.webOrigin).origin || origin === new URL(origins.publicUrl).origin
    );
  }
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/**
 * The session token a request authenticates with: the bearer token, else the session cookie
 * when the request cannot be a cross-site forgery (see `cookieMayAuthenticate`).
 */
export function requestToken(request: Request, origins: CookieOrigins): string | null {
  const bearer = bearerToken(request);
  if (bearer) return bearer;
  if (!cookieMayAuthenticate(request, origins)) return null;
  return readSessionCookie(request.headers.get('cookie'));
}

/**
 * Removes the session cookie from a request that may be a cross-site forgery, so no handler
 * behind the router can take it for the user (the router calls this for every request).
 */
export function dropForgeableCookie(request: Request, origins: CookieOrigins): void {
  if (request.headers.has('cookie') && !cookieMayAuthenticate(request, origins))
    request.headers.delete('cookie');
}

/**
 * The signed-in user behind a request's bearer token or session cookie, or null. The router
 * has already dropped a cookie that a cross-site page could have sent.
 */
export async function requestViewer(db: Database, request: Request): Promise<UserActor | null> {
  const token = bearerToken(request) ?? readSessionCookie(request.headers.get('cookie'));
  return token ? resolveSession(db, token) : null;
}

/** The header a representative's requests name the participant they act for in. */
export const ACTING_FOR_HEADER = 'x-consentome-acting-for';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_ONE = '00000000-0000-0000-0000-000000000000';

/**
 * A participant-portal user acting for someone they represent names them in every request
 * (`X-Consentome-Acting-For: <participant id>`). The viewer then acts for that participant; the
 * participant services check at each use that the representation holds (an ended one is
 * refused). A malformed id names no one, so it is refused too rather than falling back to the
 * user's own record.
 */
export function actingFor(request: Request, viewer: UserActor | null): UserActor | null {
  const named = request.headers.get(ACTING_FOR_HEADER);
  if (!viewer || named === null || viewer.role !== 'participant') return viewer;
  const participantId = UUID.test(named) ? named.toLowerCase() : NO_ONE;
  return { ...viewer, actingFor: { as: 'representative', participantId } };
}
