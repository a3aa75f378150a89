import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeDevice } from '../lib/device-label.js';
import type { ClientAddressSettings } from './client-address.js';

/**
 * The header in which the portal forwards the browser's User-Agent (the portal calls the API from
 * its own server side, so the request's own `User-Agent` is the portal's):
 * `t=<unix seconds>;sig=<hex HMAC-SHA256(secret, "user-agent\n<t>\n<ua>")>;ua=<ua>`. It is signed
 * on its own, not only beside the client address, because the portal cannot always tell the
 * address (adapter-node's ADDRESS_HEADER missing) while it always has the User-Agent.
 */
export const CLIENT_USER_AGENT_HEADER = 'x-consentome-user-agent';

/** How far a signed header may be from this server's clock, as for the client address. */
const MAX_SKEW_SECONDS = 300;

function signature(secret: string, time: string, userAgent: string): Buffer {
  return createHmac('sha256', secret).update(`user-agent\n${time}\n${userAgent}`).digest();
}

/** The header value that forwards `userAgent`, signed with `secret` (the portal does the same). */
export function signUserAgent(secret: string, userAgent: string, now = Date.now()): string {
  const time = String(Math.floor(now / 1000));
  return `t=${time};sig=${signature(secret, time, userAgent).toString('hex')};ua=${userAgent}`;
}

/** The User-Agent in a signed header, or null when it is stale or not signed by the portal. */
export function verifiedUserAgent(secret: string, header: string, now = Date.now()): string | null {
  const match = header.match(/^t=(\d{1,12});sig=([0-9a-f]{64});ua=(.*)$/s);
  if (!match) return null;
  const [, time, sig, userAgent] = match as unknown as [string, string, string, string];
  if (Math.abs(now / 1000 - Number(time)) > MAX_SKEW_SECONDS) return null;
  const expected = signature(secret, time, userAgent);
  const given = Buffer.from(sig, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? userAgent : null;
}

/**
 * A short description of the caller's device for the sessions it opens ("Chrome on Linux"), or
 * null. A forwarded User-Agent counts only when the portal signed it (anyone else could claim any
 * device), and a forged one is not replaced by the request's own; without one, the request's own
 * `User-Agent` describes a direct API client. Only the description leaves this function: the raw
 * header is not kept.
 */
export function clientDevice(request: Request, settings: ClientAddressSettings): string | null {
  const forwarded = request.headers.get(CLIENT_USER_AGENT_HEADER);
  if (settings.portalForwardSecret && forwarded !== null)
    return describeDevice(verifiedUserAgent(settings.portalForwardSecret, forwarded));
  return describeDevice(request.headers.get('user-agent'));
}
