import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The header in which the portal forwards the browser's address:
 * `<address>;t=<unix seconds>;sig=<hex HMAC-SHA256(secret, "<address>\n<t>")>`.
 */
export const CLIENT_ADDRESS_HEADER = 'x-consentome-client';

/** How far a signed address may be from this server's clock (replays are bounded by it). */
const MAX_SKEW_SECONDS = 300;

/** Who may tell the API where a request came from. */
export interface ClientAddressSettings {
  /** Reverse proxies in front of the API whose `X-Forwarded-For` entries are trusted (0: none). */
  trustedProxies: number;
  /** The secret the portal signs forwarded addresses with; null: no portal forwarding. */
  portalForwardSecret: string | null;
}

function signature(secret: string, address: string, time: string): Buffer {
  return createHmac('sha256', secret).update(`${address}\n${time}`).digest();
}

/** The header value that forwards `address`, signed with `secret` (used by the portal and tests). */
export function signClientAddress(secret: string, address: string, now = Date.now()): string {
  const time = String(Math.floor(now / 1000));
  return `${address};t=${time};sig=${signature(secret, address, time).toString('hex')}`;
}

/** The address in a signed header, or null when the header is absent, stale or not ours. */
export function verifiedClientAddress(
  secret: string,
  header: string | null,
  now = Date.now(),
): string | null {
  const match = header?.match(/^([0-9A-Fa-f.:]{2,45});t=(\d{1,12});sig=([0-9a-f]{64})$/);
  if (!match) return null;
  const [, address, time, sig] = match as unknown as [string, string, string, string];
  if (isIP(address) === 0) return null;
  if (Math.abs(now / 1000 - Number(time)) > MAX_SKEW_SECONDS) return null;
  const expected = signature(secret, address, time);
  const given = Buffer.from(sig, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : null;
}

/**
 * The address a request came from, for rate limits. In order: an address the portal signed with
 * the shared secret (the portal calls from its own address on behalf of every browser); else,
 * behind `trustedProxies` reverse proxies, the `X-Forwarded-For` entry that the outermost
 * trusted proxy appended (counted from the right: entries further left were written by the
 * client and prove nothing); else the connection's own address.
 */
export function clientAddress(
  request: Request,
  socketAddress: string | undefined,
  settings: ClientAddressSettings,
): string {
  if (settings.portalForwardSecret) {
    const forwarded = verifiedClientAddress(
      settings.portalForwardSecret,
      request.headers.get(CLIENT_ADDRESS_HEADER),
    );
    if (forwarded) return forwarded;
  }
  const peer = socketAddress ?? 'unknown';
  if (settings.trustedProxies <= 0) return peer;
  const hops = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // Nearest first: the peer is the innermost trusted proxy, then what each proxy appended.
  const chain = [peer, ...hops.reverse()];
  return chain[Math.min(settings.trustedProxies, chain.length - 1)]!;
}
