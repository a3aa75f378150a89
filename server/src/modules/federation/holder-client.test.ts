import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHolder } from './holder-client.js';

const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/**
 * A holding member's answer is read up to a limit: one that never ends (or declares more than
 * the limit) is refused as too large once the limit is passed, not read into memory until the
 * call times out.
 */
describe('callHolder reads at most maxBytes of an answer', () => {
  let server: http.Server;
  let origin = '';
  /** Resolves when the endless answer's connection was dropped by the client. */
  let dropped: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/api/network/small') {
        res.setHeader('content-type', 'application/json');
        res.end('{"id":"x","status":"pending","reasons":[]}');
        return;
      }
      if (req.url === '/api/network/declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 10_000_000 });
        res.write('{');
        return; // the rest never comes: only the declared length can refuse it at once
      }
      // An answer without end, written as fast as the client reads it.
      res.writeHead(200, { 'content-type': 'application/json' });
      dropped = new Promise((resolve) => res.once('close', resolve));
      let open = true;
      res.once('close', () => (open = false));
      const pump = () => {
        while (open && res.write(CHUNK));
        if (open) res.once('drain', pump);
      };
      res.write('{"padding":"');
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const call = (path: string) =>
    callHolder(origin, path, 'visa', { method: 'GET', timeoutMs: 60_000, maxBytes: 1024 * 1024 });

  it('answers a small JSON body', async () => {
    expect(await call('small')).toEqual({
      ok: true,
      status: 200,
      body: { id: 'x', status: 'pending', reasons: [] },
    });
  });

  it('refuses an endless answer once past the limit, and drops the connection', async () => {
    expect(await call('endless')).toEqual({ ok: false, error: 'the answer is too large' });
    await dropped;
  });

  it('refuses an answer whose declared length is past the limit without reading it', async () => {
    expect(await call('declared')).toEqual({ ok: false, error: 'the answer is too large' });
  });
});
