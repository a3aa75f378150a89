import type { MemberRecord } from '@consentome/contracts-client';
import { JWKS_PATH } from '../grants/passport/jwks-url.js';

/** The longest body read from a holding member's network door. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** What the holding member answered: its HTTP status and JSON body, or why it could not be reached. */
export type HolderAnswer =
  { ok: true; status: number; body: Record<string, unknown> } | { ok: false; error: string };

/**
 * A member's issuer (its `PUBLIC_URL`): the origin its registered Passport key set is published
 * under. Its dataset URLs and network doors hang off it.
 */
export function memberIssuer(member: Pick<MemberRecord, 'passport_jwks_url'>): string | null {
  const url = member.passport_jwks_url;
  return url.endsWith(JWKS_PATH) ? url.slice(0, -JWKS_PATH.length) : null;
}

/**
 * Calls one of a holding member's network doors (`/api/network/…`) with a visa as the bearer
 * token, from this server (the researcher never handles the visa). Never throws: a member that
 * is down, slow or not answering JSON is an `error` the caller records and shows.
 */
export async function callHolder(
  issuer: string,
  path: string,
  visa: string,
  options: { method: 'GET' | 'POST'; body?: unknown; timeoutMs: number; maxBytes?: number },
): Promise<HolderAnswer> {
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  try {
    const response = await fetch(`${issuer}/api/network/${path}`, {
      method: options.method,
      headers: {
        authorization: `Bearer ${visa}`,
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    const text = await cappedText(response, maxBytes);
    if (text === null) return { ok: false, error: 'the answer is too large' };
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, error: `HTTP ${response.status}: not a JSON object` };
    return { ok: true, status: response.status, body: body as Record<string, unknown> };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `no answer (${why})` };
  }
}

/**
 * The response's body as UTF-8 text, or null (the rest left unread, the connection dropped) once
 * it passes `maxBytes`: a member that answers without end must not fill this server's memory
 * before the limit is checked.
 */
async function cappedText(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel();
    return declared > maxBytes ? null : '';
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total).toString('utf8');
}
