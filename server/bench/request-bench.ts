/**
 * Per-request overhead of the API (issue #19, item 4), measured over real HTTP from this
 * process against the API server in its own process:
 *   1. latency of a rare-variant `cohortCount` (authentication, count budget, audit event and
 *      count protection included), one request at a time: p50 / p90 / p99;
 *   2. throughput of a small authenticated query (`me`) under autocannon, against a bare
 *      graphql-yoga server (bench/bare-yoga-server.ts, its own process) answering the same
 *      query shape from a constant, in the same run.
 * Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:request -- [--requests 2000] [--seconds 10] [--connections 8]
 *     [--rounds 1] [--throughput-only]
 * `--rounds N` measures the two servers' throughput N times, alternating, and prints each share
 * (on a machine others load, a share from one pair can swing); `--throughput-only` skips the
 * sequential latency ladder.
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards) or an
 * embedded PGlite store in a temporary DATA_DIR. The demo data is seeded in both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { databaseLocation } from '../src/app/database-location.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { postGraphQL, startApiProcess } from '../src/test/api-process.js';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '1' },
    'throughput-only': { type: 'boolean', default: false },
    profile: { type: 'string' },
    // PostgreSQL only: the server logs every statement of the bench database (to count them).
    'log-sql': { type: 'boolean', default: false },
  },
});
const profileArgs = opts.profile
  ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`]
  : [];
const REQUESTS = Number(opts.requests);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const ROUNDS = Number(opts.rounds);
const serverDir = path.resolve(import.meta.dirname, '..');
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/**
 * CPU seconds a process has used (user + system, all its threads), from /proc; null where there
 * is none. Divided by the requests it answered, it is a figure the machine's other load moves
 * far less than requests per second.
 */
function cpuSeconds(pid: number | undefined): number | null {
  const stat = pid === undefined ? null : `/proc/${pid}/stat`;
  if (!stat || !fs.existsSync(stat)) return null;
  // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
  const fields = fs.readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: serverDir,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Starts a process and resolves once `ready(url)` matches a line of its stdout. */
function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (line: string) => string | null,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: serverDir,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const url = ready(line);
        if (url) resolve({ child, url });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

// 1. A fresh store with the demo data.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-request-bench-'));
let databaseUrl: string | undefined;
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `bench_request_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  if (opts['log-sql']) await admin.unsafe(`alter database ${name} set log_statement = 'all'`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
const apiEnv: Record<string, string> = {
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  // The bench asks thousands of counts as one user.
  COUNT_QUERY_BUDGET_PER_DAY: '100000000',
  DEMO_SEED: 'true',
};
const env: NodeJS.ProcessEnv = { ...process.env, ...apiEnv };
if (!databaseUrl) delete env.DATABASE_URL;
await run(['src/cli/main.ts', 'seed', '--demo'], env);

// 2. A variant with few carriers (the rare-variant shape).
const handle = await openDatabase(databaseLocation(loadConfig(env)));
const [rare] = await queryRows<{ k: string; n: number }>(
  handle.db,
  sql`select v.chrom || '-' || v.pos || '-' || v.ref || '-' || v.alt as k, sum(cardinality(c.het) + cardinality(c.hom) + cardinality(c.hemi))::int as n
      from variants v join variant_call_sets c on c.variant_id = v.id
      group by v.id having sum(cardinality(c.het) + cardinality(c.hom) + cardinality(c.hemi)) between 1 and 5
      order by v.id limit 1`,
);
await handle.close();
if (!rare) throw new Error('the demo has no rare variant');

// 3. The API and the bare reference, each in its own process.
const api = await startApiProcess(apiEnv, profileArgs);
const bare = await startProcess(['bench/bare-yoga-server.ts'], process.env, (line) =>
  line.startsWith('http://') ? line.trim() : null,
);
const stopAll = async () => {
  await api.stop();
  for (const child of [bare.child]) {
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await dropDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
};

try {
  const post = (url: string, query: string, variables: Record<string, unknown>, token?: string) =>
    postGraphQL(url, query, variables, token);
  const login = await post(
    api.url,
    `mutation { login(email: "researcher@demo.local", password: "demo-password") {
       ... on MutationLoginSuccess { data { token } } } }`,
    {},
  );
  const token = (login.data?.login as { data?: { token: string } } | undefined)?.data?.token;
  if (!token) throw new Error(`sign-in failed: ${JSON.stringify(login)}`);

  console.log(
    `bench:request driver=${databaseUrl ? 'postgres' : 'pglite'} machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os.loadavg()[0]!.toFixed(1)}`,
  );

  // 4. Latency, one request at a time: a ladder from no work to the rare-variant count, so the
  // figures say where the time goes.
  if (!opts['throughput-only']) {
    const sequential = async (
      url: string,
      query: string,
      vars: Record<string, unknown>,
      auth?: string,
    ) => {
      for (let i = 0; i < 100; i += 1) await post(url, query, vars, auth); // warm-up
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i += 1) {
        const t = performance.now();
        const r = await post(url, query, vars, auth);
        times.push(performance.now() - t);
        if (r.errors) throw new Error(`${query} failed: ${JSON.stringify(r.errors)}`);
      }
      return `p50 ${ms(pct(times, 50))}, p90 ${ms(pct(times, 90))}, p99 ${ms(pct(times, 99))}`;
    };
    console.log(
      `bare graphql-yoga \`me\`:            ${await sequential(bare.url, '{ me { id } }', {})}`,
    );
    console.log(
      `API \`{ __typename }\`, anonymous:    ${await sequential(api.url, '{ __typename }', {})}`,
    );
    console.log(
      `API \`me\` (session + user read):     ${await sequential(api.url, '{ me { id } }', {}, token)}`,
    );

    // The rare-variant count.
    const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`;
    const variables = { c: { variants: [rare.k] } };
    const first = await post(api.url, COUNT, variables, token);
    if (first.errors) throw new Error(`cohortCount failed: ${JSON.stringify(first.errors)}`);
    for (let i = 0; i < 100; i += 1) await post(api.url, COUNT, variables, token); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const t = performance.now();
      const r = await post(api.url, COUNT, variables, token);
      latencies.push(performance.now() - t);
      if (r.errors) throw new Error(`cohortCount failed: ${JSON.stringify(r.errors)}`);
    }
    console.log(
      `rare-variant cohortCount (${rare.k}, ${rare.n} carriers), ${REQUESTS} sequential requests: ` +
        `p50 ${ms(pct(latencies, 50))}, p90 ${ms(pct(latencies, 90))}, p99 ${ms(pct(latencies, 99))}`,
    );
  }

  // 5. Throughput of `me`, API vs bare graphql-yoga, same client, same run.
  const ME = JSON.stringify({ query: '{ me { id displayName role } }' });
  const cannon = async (url: string, auth: boolean, pid?: number) => {
    const cpuBefore = cpuSeconds(pid);
    const result = await autocannon({
      url,
      method: 'POST',
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
      },
      body: ME,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    const cpuAfter = cpuSeconds(pid);
    const cpuPerRequest =
      cpuBefore === null || cpuAfter === null
        ? ''
        : `, server CPU ${(((cpuAfter - cpuBefore) * 1e6) / result.requests.total).toFixed(0)} µs/request`;
    return { ...result, cpuPerRequest };
  };
  const me = await post(api.url, '{ me { id displayName role } }', {}, token);
  if (!(me.data?.me as { id?: string } | undefined)?.id) throw new Error('`me` is null');
  await cannon(bare.url, false); // warm both before measuring
  await cannon(api.url, true);
  const shares: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // What the API process spends while nobody asks it anything (its workers, the chain).
    const apiIdleBefore = cpuSeconds(api.child.pid);
    const bareRun = await cannon(bare.url, false, bare.child.pid);
    const apiIdleAfter = cpuSeconds(api.child.pid);
    const apiRun = await cannon(api.url, true, api.child.pid);
    const ratio = apiRun.requests.average / bareRun.requests.average;
    shares.push(ratio);
    console.log(
      `\`me\` under autocannon (${CONNECTIONS} connections, ${SECONDS} s each)` +
        `${ROUNDS > 1 ? `, round ${round} of ${ROUNDS}` : ''}, load ${os.loadavg()[0]!.toFixed(1)}:\n` +
        `  bare graphql-yoga: ${bareRun.requests.average.toFixed(0)} req/s, p50 ${bareRun.latency.p50} ms${bareRun.cpuPerRequest}\n` +
        `  Consentome API (bearer session): ${apiRun.requests.average.toFixed(0)} req/s, p50 ${apiRun.latency.p50} ms${apiRun.cpuPerRequest}\n` +
        `  ratio: ${(ratio * 100).toFixed(0)} % of the bare server (target ≥ 50 %)` +
        (apiIdleBefore === null || apiIdleAfter === null
          ? ''
          : `\n  API process CPU while idle (during the bare run): ${(((apiIdleAfter - apiIdleBefore) / SECONDS) * 100).toFixed(1)} % of a core`),
    );
  }
  if (ROUNDS > 1)
    console.log(
      `share over ${ROUNDS} rounds: median ${(pct(shares, 50) * 100).toFixed(0)} %, ` +
        `each ${shares.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}`,
    );
} finally {
  await stopAll();
}
