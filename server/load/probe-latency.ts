/**
 * Where the time of one request goes: sequential requests (no queueing) of a query that needs
 * no database, of the session lookup alone, and of `me`. Run by `npm run test:load -- --only probe`.
 */
import { gql, signIn, startServerProcess } from './server-process.js';
import type { Target } from './targets.js';

async function timeSequential(n: number, run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i += 1) await run();
  return (performance.now() - t) / n;
}

/** Mean latency per request without concurrency, for a few request shapes. */
export async function probeLatency(target: Target, n = 300): Promise<Record<string, number>> {
  const server = await startServerProcess(target.env);
  try {
    const token = await signIn(server.url, 'researcher@demo.local');
    const out: Record<string, number> = {};
    out['health (no GraphQL)'] = await timeSequential(n, () => fetch(`${server.origin}/health`));
    out['{ __typename } anonymous'] = await timeSequential(n, () =>
      gql(server.url, '{ __typename }'),
    );
    out['{ __typename } with bearer (session lookup)'] = await timeSequential(n, () =>
      gql(server.url, '{ __typename }', {}, token),
    );
    out['{ me { id } } with bearer'] = await timeSequential(n, () =>
      gql(server.url, '{ me { id } }', {}, token),
    );
    return out;
  } finally {
    await server.stop();
  }
}
