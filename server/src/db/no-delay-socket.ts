import net from 'node:net';

/** What postgres.js hands a `socket` factory: its parsed hosts, ports and unix socket path. */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
  /** Seconds; postgres.js starts its own timer only once the factory has answered. */
  connect_timeout?: number;
}

/**
 * postgres.js connects with Node's default socket, which leaves Nagle's algorithm on. A COPY sends
 * its data and then CopyDone as two small writes; the second waits for the server to acknowledge
 * the first, and the server delays that acknowledgement (40 ms on Linux): measured on this
 * machine, a small COPY took 90 ms with the default socket and 0.7 ms with TCP_NODELAY, a
 * `select 1` 2.9 ms and 0.3 ms. Returns the `socket` option that connects with TCP_NODELAY, for
 * one TCP host (postgres.js's own connect is kept for several hosts or a unix socket).
 */
export function noDelaySocketOption(url: string): Record<string, unknown> {
  const parsed = new URL(url);
  const hosts = parsed.hostname.split(',');
  if (hosts.length !== 1 || !parsed.hostname || parsed.searchParams.has('host')) return {};
  return {
    socket: (target: SocketTarget) =>
      new Promise<net.Socket>((resolve, reject) => {
        const host = target.host[0];
        const port = target.port[0] ?? 5432;
        const socket = Object.assign(net.connect({ host, port, noDelay: true }), {
          // postgres.js names the server from these in the TLS handshake (SNI), as on its own
          // socket: a provider that routes connections by that name refuses one without it.
          host,
          port,
        });
        // postgres.js times the connect only after this promise settles, so without a timer of
        // our own a host that drops packets would hang for the system's TCP timeout (minutes).
        const seconds = target.connect_timeout ?? 30;
        const timer = setTimeout(
          () =>
            socket.destroy(new Error(`connect to ${host}:${port} timed out after ${seconds} s`)),
          seconds * 1000,
        );
        const failed = (error: Error) => {
          clearTimeout(timer);
          reject(error);
        };
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.off('error', failed);
          resolve(socket);
        });
        socket.once('error', failed);
      }),
  };
}
