import type { ServerContext } from './router.js';

/**
 * The address a request came from, for per-client limits: the socket's peer, or behind a
 * trusted reverse proxy the right-most `X-Forwarded-For` entry — the one our proxy appended;
 * entries to its left are whatever the client chose to send.
 */
export function clientAddress(
  request: Request,
  context: ServerContext,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const hops = request.headers
      .get('x-forwarded-for')
      ?.split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const last = hops?.at(-1);
    if (last) return last;
  }
  return context.req?.socket.remoteAddress ?? 'unknown';
}
