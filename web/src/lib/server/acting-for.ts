import type { Cookies } from '@sveltejs/kit';

/**
 * The participant a representative is acting for in this browser: their id (sent to the API in
 * `X-Consentome-Acting-For`, which checks the representation at every use) and the name the
 * banner shows. Only a choice of the portal: the API decides whether it holds.
 */
export interface ActingFor {
  participantId: string;
  name: string;
}

export const ACTING_FOR_COOKIE = 'consentome_acting_for';
export const ACTING_FOR_HEADER = 'x-consentome-acting-for';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The choice stored in the cookie, or null (none, or unreadable). */
export function readActingFor(cookies: Cookies): ActingFor | null {
  const raw = cookies.get(ACTING_FOR_COOKIE);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<ActingFor>;
    if (typeof v.participantId === 'string' && UUID.test(v.participantId))
      return { participantId: v.participantId, name: String(v.name ?? '').slice(0, 120) };
  } catch {
    // An unreadable cookie acts for no one.
  }
  return null;
}

/** Starts acting for someone (until sign-out or "stop"). */
export function setActingFor(cookies: Cookies, value: ActingFor, secure: boolean): void {
  cookies.set(ACTING_FOR_COOKIE, JSON.stringify(value), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}

/** Stops acting for anyone. */
export function clearActingFor(cookies: Cookies, secure: boolean): void {
  cookies.delete(ACTING_FOR_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
