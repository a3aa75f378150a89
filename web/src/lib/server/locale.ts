import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';

/** How long the portal remembers a visitor's language (400 days, the most browsers keep). */
const LANGUAGE_COOKIE_MAX_AGE = 400 * 86_400;

/**
 * Remembers a language in the language cookie. Not httpOnly: the browser's copy of the
 * paraglide runtime reads it, so pages hydrate in the language the server rendered.
 */
export function rememberLanguage(cookies: Cookies, locale: Locale, secure: boolean): void {
  cookies.set(cookieName, locale, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure,
    maxAge: LANGUAGE_COOKIE_MAX_AGE,
  });
}

/**
 * The request paraglide decides the page's language from: only the language cookie and
 * Accept-Language, so a large upload's body is never copied for it. A signed-in person's stored
 * choice wins over the cookie (another device may have set another), and the cookie is
 * rewritten to match, so the browser's runtime agrees with the server.
 */
export function languageRequest(event: RequestEvent, chosen: string | null | undefined): Request {
  const headers = new Headers();
  const acceptLanguage = event.request.headers.get('accept-language');
  if (acceptLanguage) headers.set('accept-language', acceptLanguage);
  const cookie = event.cookies.get(cookieName);
  if (isLocale(chosen) && chosen !== cookie)
    rememberLanguage(event.cookies, chosen, event.url.protocol === 'https:');
  const locale = isLocale(chosen) ? chosen : cookie;
  if (isLocale(locale)) headers.set('cookie', `${cookieName}=${locale}`);
  return new Request(event.url, { headers });
}
