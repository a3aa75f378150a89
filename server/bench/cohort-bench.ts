/**
 * cohortCount through GraphQL against the plain SQL baseline, on a synthetic cohort ingested
 * through the real import and ingest paths. Prints p50/p99 per query shape, the speed-up, the
 * freshness of a withdrawal, index build time and RSS. Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:cohort -- --participants 100000 --variants 500000 --calls 10000000
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards) or PGlite.
 * With `--database NAME` the cohort is loaded into that database on the same server (created
 * when missing) and kept: a second run against it skips the load and measures the rest again,
 * which at 100M calls saves the better part of an hour.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createAppServices } from '../src/app/app-services.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { createGraphQLServer } from '../src/http/yoga.js';
import { insertUser } from '../src/modules/accounts/accounts.service.js';
import { systemActor } from '../src/modules/actors/actor.js';
import { recordCohortChange } from '../src/modules/cohort-changes/cohort-changes.js';
import type { CohortCriteria } from '../src/modules/cohorts/cohort-criteria.js';
import { CohortEngine } from '../src/modules/cohorts/cohort-engine.js';
import { sqlBaselineCount } from '../src/modules/cohorts/sql-baseline.js';
import { registerDataset } from '../src/modules/datasets/datasets.service.js';
import { ingestPhenotypes } from '../src/modules/datasets/ingest/phenotype-ingest.service.js';
import { ingestVcf } from '../src/modules/datasets/ingest/vcf-ingest.service.js';
import {
  generateSyntheticCohort,
  type SynthTruth,
} from '../src/modules/genomics/synth/generate-cohort.js';
import { OntologyGraph } from '../src/modules/ontology/ontology-graph.js';
import { ensureShippedOntologies } from '../src/modules/ontology/ontology-import.service.js';
import { importParticipants } from '../src/modules/participants/participant-import.service.js';
import { participants } from '../src/modules/participants/participants.tables.js';
import { datasets } from '../src/modules/datasets/datasets.tables.js';

const { values: opts } = parseArgs({
  options: {
    participants: { type: 'string', default: '100000' },
    variants: { type: 'string', default: '500000' },
    calls: { type: 'string', default: '10000000' },
    'samples-per-file': { type: 'string', default: '250' },
    runs: { type: 'string', default: '40' },
    'baseline-runs': { type: 'string', default: '3' },
    // A plain-SQL count that runs longer is stopped and shown as "≥ timeout" (a lower bound).
    'baseline-timeout': { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    database: { type: 'string' },
    // A CPU profile of the GraphQL counts alone (not the load or the index build), for where
    // the time of a query goes: open the .cpuprofile in Chrome DevTools.
    'profile-queries': { type: 'string' },
  },
});
const N = Number(opts.participants);
const M = Number(opts.variants);
const K = Number(opts.calls);
const RUNS = Number(opts.runs);
const BASELINE_RUNS = Number(opts['baseline-runs']);
const BASELINE_TIMEOUT_MS = Number(opts['baseline-timeout']) * 1000;
const operator = systemActor('bench');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mib = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`;

// 1. Synthetic files (cached between runs of the same size and seed).
const synthDir = path.join(
  os.tmpdir(),
  `consentome-bench-synth-${N}-${M}-${K}-${opts.seed}-${opts['samples-per-file']}`,
);
let truth: SynthTruth;
if (fs.existsSync(path.join(synthDir, 'truth.json'))) {
  truth = JSON.parse(fs.readFileSync(path.join(synthDir, 'truth.json'), 'utf8')) as SynthTruth;
} else {
  const t = performance.now();
  truth = await generateSyntheticCohort({
    participants: N,
    variants: M,
    calls: K,
    seed: Number(opts.seed),
    outDir: synthDir,
    samplesPerFile: Number(opts['samples-per-file']),
  });
  console.log(
    `synth        ${N} participants, ${M} variants, ${truth.calls} calls in ${truth.vcfFiles.length} files: ${secs(performance.now() - t)}`,
  );
}

// 2. A fresh database, or the named one kept between runs.
let handle: DatabaseHandle;
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = opts.database ?? `consentome_bench_${Date.now()}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database ${name}: not a plain name`);
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  handle = await openDatabase({ url: url.toString() });
  if (!opts.database)
    dropDatabase = async () => {
      const a = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
} else {
  if (opts.database) throw new Error('--database needs DATABASE_URL (a PostgreSQL server)');
  handle = await openDatabase({ pgliteDir: 'memory://' });
}
const db = handle.db;
await migrateDatabase(handle);
await ensureShippedOntologies(db, operator);
console.log(
  `bench:cohort driver=${handle.kind} participants=${N} variants=${M} calls=${truth.calls} ` +
    `machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} ` +
    `at ${new Date().toISOString()}`,
);

// 3. Load through the product's own paths. Each step is all or nothing, so a kept database
// resumes where a stopped run left it: participants, then the VCF slices in order, then the
// phenotypes.
const count = async (query: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(db, query))[0]!.n;
let t = performance.now();
if ((await count(sql`select count(*)::int as n from participants`)) < N) {
  await importParticipants(db, operator, path.join(synthDir, truth.participantsFile));
  console.log(`import       participants: ${secs(performance.now() - t)}`);
}
const [existing] = await db
  .select({ id: datasets.id })
  .from(datasets)
  .where(eq(datasets.name, 'Bench'));
const datasetId = existing?.id ?? (await registerBenchDataset());
const done = await count(sql`select count(*)::int as n from ingests where kind = 'vcf'`);
if (done > 0) console.log(`ingest       resuming after ${done} of ${truth.vcfFiles.length} files`);
t = performance.now();
let ingested = 0;
for (const [i, file] of truth.vcfFiles.entries()) {
  if (i < done) continue;
  await ingestVcf(db, operator, { datasetId, path: path.join(synthDir, file.file) });
  ingested += file.calls;
  if ((i + 1) % 100 === 0)
    console.log(
      `  ${i + 1} files, ${secs(performance.now() - t)}, load ${os.loadavg()[0]!.toFixed(1)}, rss ${mib()}`,
    );
}
const ingestMs = performance.now() - t;
if (ingested > 0)
  console.log(
    `ingest       ${ingested} calls from ${truth.vcfFiles.length - done} files: ${secs(ingestMs)} = ${Math.round(ingested / (ingestMs / 1000))} calls/s`,
  );
if ((await count(sql`select count(*)::int as n from ingests where kind = 'phenotypes'`)) === 0) {
  t = performance.now();
  await ingestPhenotypes(db, operator, {
    datasetId,
    path: path.join(synthDir, truth.phenotypesFile),
    format: 'phenotypes',
  });
  console.log(`ingest       phenotypes: ${secs(performance.now() - t)}`);
}

async function registerBenchDataset(): Promise<string> {
  const steward = await db.transaction((tx) =>
    insertUser(tx, {
      email: `steward-${randomUUID()}@bench.local`,
      password: 'bench-password-123',
      displayName: 'S',
      role: 'steward',
      institution: null,
    }),
  );
  const dataset = await db.transaction((tx) =>
    registerDataset(tx, operator, {
      name: 'Bench',
      dataUse: { permission: 'GRU' },
      stewardId: steward.id,
    }),
  );
  return dataset.id;
}

// 4. The API in-process with its cohort index.
const config = {
  ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }),
  countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 1_000_000 },
};
const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-snapshot-'));
const snapshotFile = path.join(snapshotDir, 'cohort-index.snapshot');
const engine = new CohortEngine(db, undefined, { snapshotFile });
t = performance.now();
await engine.ready();
const rebuildMs = performance.now() - t;
console.log(
  `index        built in ${secs(rebuildMs)}; ${JSON.stringify((await engine.current()).stats())}; rss ${mib()}`,
);
// Cold start from the snapshot, against the rebuild from the database just measured.
// The engine writes the snapshot in the background once built; persist() waits for that write.
t = performance.now();
await engine.persist();
console.log(
  `snapshot     ${(fs.statSync(snapshotFile).size / 2 ** 20).toFixed(0)} MiB, written in the background after the build (waited ${secs(performance.now() - t)} more for it)`,
);
{
  const reloaded = new CohortEngine(db, undefined, { snapshotFile });
  t = performance.now();
  await reloaded.ready();
  const loadMs = performance.now() - t;
  console.log(
    `cold start   from ${reloaded.origin} in ${secs(loadMs)} vs rebuild ${secs(rebuildMs)} (${(rebuildMs / loadMs).toFixed(1)}× faster); rss ${mib()}`,
  );
  reloaded.dispose();
  fs.rmSync(snapshotDir, { recursive: true, force: true });
}
const services = createAppServices(db, config, { cohorts: engine });
const yoga = createGraphQLServer(db, config, services);
const researcher = await db.transaction((tx) =>
  insertUser(tx, {
    email: `r-${randomUUID()}@bench.local`,
    password: 'bench-password-123',
    displayName: 'R',
    role: 'researcher',
    institution: null,
  }),
);
const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
  const res = await yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, { data?: { token: string }; display?: string }>;
    errors?: unknown[];
  };
};
const login = await gql(
  `mutation($e: String!) { login(email: $e, password: "bench-password-123") { ... on MutationLoginSuccess { data { token } } } }`,
  { e: researcher.email },
);
const token = login.data!.login!.data!.token;

// 5. Query shapes.
const variantRows = await queryRows<{ k: string; n: number; gene: string | null }>(
  db,
  sql`select v.chrom || '-' || v.pos || '-' || v.ref || '-' || v.alt as k, v.gene,
        sum(cardinality(c.het) + cardinality(c.hom) + cardinality(c.hemi))::int as n
      from variants v join variant_call_sets c on c.variant_id = v.id group by v.id`,
);
const rare = variantRows.filter((r) => r.n <= 5);
const common = variantRows.filter((r) => r.n >= N * 0.05 && r.gene).sort((a, b) => b.n - a.n);
const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!;
const shapes: { name: string; make: (i: number) => CohortCriteria }[] = [
  { name: 'rare variant', make: (i) => ({ variants: [pick(rare, i).k] }) },
  { name: 'common-variant gene', make: (i) => ({ genes: [pick(common, i).gene!] }) },
  { name: 'broad phenotype', make: (i) => ({ phenotypes: [i % 2 ? 'HP:0000118' : 'HP:0000707'] }) },
  {
    name: '1,000-variant panel',
    make: (i) => ({
      variants: Array.from({ length: 1_000 }, (_, j) => pick(variantRows, i * 1_000 + j).k),
    }),
  },
];
const ontology = await OntologyGraph.load(db);
const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`;
console.log(
  'shape                    engine p50   engine p99   SQL p50      SQL p99      speed-up (p50)',
);
const profiler = opts['profile-queries'] ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
for (const shape of shapes) {
  const engineMs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const s = performance.now();
    const r = await gql(COUNT, { c: shape.make(i) }, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    engineMs.push(performance.now() - s);
  }
  const sqlMs: number[] = [];
  let timedOut = false;
  for (let i = 0; i < BASELINE_RUNS && !timedOut; i += 1) {
    const s = performance.now();
    try {
      await db.transaction(async (tx) => {
        if (handle.kind === 'postgres')
          await tx.execute(sql.raw(`set local statement_timeout = ${BASELINE_TIMEOUT_MS}`));
        await sqlBaselineCount(tx, shape.make(i), ontology);
      });
      sqlMs.push(performance.now() - s);
    } catch (error) {
      if (!/statement timeout/.test(String(error))) throw error;
      timedOut = true;
      sqlMs.push(BASELINE_TIMEOUT_MS);
    }
  }
  const f = (x: number) =>
    `${timedOut && x === BASELINE_TIMEOUT_MS ? '≥ ' : ''}${x.toFixed(1)} ms`.padEnd(13);
  // --baseline-runs 0 measures the engine alone (e.g. under --cpu-prof).
  const baseline = sqlMs.length
    ? `${f(pct(sqlMs, 50))}${f(pct(sqlMs, 99))}${timedOut ? '≥ ' : ''}${(pct(sqlMs, 50) / pct(engineMs, 50)).toFixed(0)}×`
    : `${'—'.padEnd(13)}${'—'.padEnd(13)}—`;
  console.log(
    `${shape.name.padEnd(25)}${f(pct(engineMs, 50))}${f(pct(engineMs, 99))}${baseline}; load ${os.loadavg()[0]!.toFixed(1)}`,
  );
}

if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  fs.writeFileSync(opts['profile-queries']!, JSON.stringify(profile));
  profiler.disconnect();
  console.log(`profile      of the counts written to ${opts['profile-queries']}`);
}

// 6. Freshness: a withdrawal is visible to the very next query.
const before = (await engine.current()).count({});
const [someone] = await db
  .select()
  .from(participants)
  .where(eq(participants.status, 'invited'))
  .limit(1);
await db.transaction(async (tx) => {
  await tx
    .update(participants)
    .set({ status: 'withdrawn' })
    .where(eq(participants.id, someone!.id));
  await recordCohortChange(tx, 'participant', someone!.num);
});
const s = performance.now();
const after = (await engine.current()).count({});
console.log(
  `freshness    withdrawal visible to the next query: ${before - after === 1 ? 'yes' : 'NO'} (sync + count ${(performance.now() - s).toFixed(1)} ms)`,
);
console.log(
  `memory       rss ${mib()}, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at ${new Date().toISOString()}`,
);
engine.dispose();
await handle.close();
await dropDatabase();
