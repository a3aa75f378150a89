import { createHash, randomBytes } from 'node:crypto';

/** Name of the session cookie shared by the API and the portal. */
export const SESSION_COOKIE = 'consentome_session';

/** A new opaque session token: 256 random bits, base64url. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The digest under which a token is stored; the token itself is never persisted. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
