import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noDelaySocketOption } from './no-delay-socket.js';

/**
 * A stand-in server that answers PostgreSQL's SSLRequest with "yes" and keeps the first bytes of
 * the TLS handshake that follow (the ClientHello, sent in the clear), then hangs up.
 */
function sslHelloCatcher() {
  const hellos: Buffer[] = [];
  let heard: (hello: Buffer) => void = () => {};
  const next = () => new Promise<Buffer>((resolve) => (heard = resolve));
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('S');
      socket.once('data', (hello) => {
        hellos.push(hello);
        heard(hello);
        socket.destroy();
      });
    });
  });
  return { server, next };
}

describe('PostgreSQL connections with TCP_NODELAY', () => {
  const catcher = sslHelloCatcher();
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => catcher.server.listen(0, 'localhost', resolve));
    port = (catcher.server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => catcher.server.close(() => resolve())));

  it('still names the server in the TLS handshake (SNI), as postgres.js does on its own socket', async () => {
    const url = `postgres://someone@localhost:${port}/db?sslmode=require`;
    const option = noDelaySocketOption(url);
    expect(option).toHaveProperty('socket');
    const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {}, ...option });
    const hello = catcher.next();
    try {
      // The stand-in hangs up after the hello: the query fails, the hello is what we check.
      await expect(sql`select 1`).rejects.toThrow();
      // A TLS provider that routes by name (SNI) needs the host name in the ClientHello.
      expect((await hello).includes(Buffer.from('localhost'))).toBe(true);
    } finally {
      await sql.end({ timeout: 0 });
    }
  });
});
