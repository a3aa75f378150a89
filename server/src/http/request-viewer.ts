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

/** The signed-in user behind a request's bearer token or session cookie, or null. */
export async function requestViewer(db: Database, request: Request): Promise<UserActor | null> {
  const token = bearerToken(request) ?? readSessionCookie(request.headers.get('cookie'));
  return token ? resolveSession(db, token) : null;
}
