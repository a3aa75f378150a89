import autocannon from 'autocannon';
import { signIn, startServerProcess } from './server-process.js';
import type { Target } from './targets.js';

/** What one burst measured. */
export interface BurstResult {
  requests: number;
  ok: number;
  errors: number;
  non2xx: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  seconds: number;
}

/**
 * A bounded burst: `n` authenticated GraphQL requests, all opened at once (one per connection),
 * against a real `consentome serve` process on loopback. The query is the cheapest
 * authenticated one (`me`), so the figure is the cost of the request path itself: HTTP, GraphQL,
 * the session lookup and the database round trip.
 */
export async function runBurst(target: Target, n: number, query: string): Promise<BurstResult> {
  const server = await startServerProcess(target.env);
  try {
    const token = await signIn(server.url, 'researcher@demo.local');
    // Warm up (JIT, connection pool) with a small burst that is not counted.
    await autocannon({
      url: server.url,
      connections: 20,
      amount: 200,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const r = await autocannon({
      url: server.url,
      connections: n,
      amount: n,
      timeout: 60,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const ok = r.statusCodeStats['200']?.count ?? 0;
    return {
      requests: r.requests.total,
      ok,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      seconds: r.duration,
    };
  } finally {
    await server.stop();
  }
}
