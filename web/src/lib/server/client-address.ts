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
