import { createHmac } from 'node:crypto';
import { env } from '$env/dynamic/private';

/** The header in which the portal tells the API whose request it is forwarding. */
export const CLIENT_ADDRESS_HEADER = 'x-consentome-client';

/**
 * The browser's address, signed for the API: `<address>;t=<unix seconds>;sig=<hex
 * HMAC-SHA256(PORTAL_FORWARD_SECRET, "<address>\n<t>")>` (the API's `client-address.ts` checks
 * it). Without the shared secret the portal forwards nothing and the API sees the portal's own
 * address for every browser. Null when there is no secret.
 */
export function signedClientAddress(address: string, now = Date.now()): string | null {
  const secret = env.PORTAL_FORWARD_SECRET;
  if (!secret) return null;
  const time = String(Math.floor(now / 1000));
  const sig = createHmac('sha256', secret).update(`${address}\n${time}`).digest('hex');
  return `${address};t=${time};sig=${sig}`;
}

/**
 * The header in which the portal forwards the browser's User-Agent, so the API can describe the
 * device of a session the portal opens (it keeps only "Browser on System" from it).
 */
export const CLIENT_USER_AGENT_HEADER = 'x-consentome-user-agent';

/** Longer User-Agents are cut: the API reads no further, and a header has no need to be huge. */
const MAX_USER_AGENT = 512;

/**
 * The browser's User-Agent, signed for the API: `t=<unix seconds>;sig=<hex
 * HMAC-SHA256(PORTAL_FORWARD_SECRET, "user-agent\n<t>\n<ua>")>;ua=<ua>` (the API's
 * `client-device.ts` checks it). Signed on its own rather than only beside the address, which the
 * portal cannot always tell. Null without the shared secret or a User-Agent.
 */
export function signedUserAgent(request: Request, now = Date.now()): string | null {
  const secret = env.PORTAL_FORWARD_SECRET;
  // Printable ASCII only: anything else cannot travel in a header, and names no browser.
  const userAgent = (request.headers.get('user-agent') ?? '')
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, MAX_USER_AGENT);
  if (!secret || !userAgent) return null;
  const time = String(Math.floor(now / 1000));
  const sig = createHmac('sha256', secret)
    .update(`user-agent\n${time}\n${userAgent}`)
    .digest('hex');
  return `t=${time};sig=${sig};ua=${userAgent}`;
}
