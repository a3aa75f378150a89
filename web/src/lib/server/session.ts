import type { Cookies } from '@sveltejs/kit';
import type { Role } from '$lib/roles';

/** The signed-in user as the portal knows it. */
export interface Viewer {
  id: string;
  /** Null only when the API hides it (never for the signed-in user's own account). */
  email: string | null;
  displayName: string;
  role: Role;
  institution: string | null;
  /** The language the person chose (`en`, `es`), or null when they have not chosen one. */
  locale: string | null;
}

/** The cookie shared with the API: HttpOnly, SameSite=Lax, Secure over TLS. */
export const SESSION_COOKIE = 'consentome_session';

/** Stores the session token the API issued at login. */
export function setSessionCookie(
  cookies: Cookies,
  token: string,
  expiresAt: Date,
  secure: boolean,
): void {
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}

/** A session the API opened at sign-in: its token and when it ends. */
export interface OpenedSession {
  token: string;
  expiresAt: string;
}

/**
 * Keeps a session the API just opened (password, enrolment or passkey sign-in) in the cookie,
 * Secure when the portal is reached over TLS.
 */
export function keepOpenedSession(cookies: Cookies, url: URL, session: OpenedSession): void {
  setSessionCookie(cookies, session.token, new Date(session.expiresAt), url.protocol === 'https:');
}

/** Forgets the session token. */
export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
