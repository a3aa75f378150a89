/**
 * Cold start of the cohort index from its snapshot file (issue #19, item 2), at a size the
 * cohort bench needs an hour of ingest to reach: the index is built in memory from the
 * synthetic generator's plan (participants, variants and carriers as `consentome synth` makes
 * them, a few shipped phenotype terms each), written as the server writes it, then loaded by a
 * fresh `CohortEngine` against a database holding the shipped ontologies and the change-log row
 * the snapshot is pinned to. Prints the whole start (`engine.ready()`, what a server waits for)
 * and each step of it on its own. Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:snapshot -- [--participants 1000000] [--variants 500000] [--calls 10000000] [--runs 3]
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards) or PGlite.
 * Add `--cpu-prof --cpu-prof-dir=DIR` to node's options for a profile of the whole run.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { systemActor } from '../src/modules/actors/actor.js';
import { recordCohortChange } from '../src/modules/cohort-changes/cohort-changes.js';
import { changeLogPosition } from '../src/modules/cohorts/change-log-position.js';
import { loadConfirmedTerms } from '../src/modules/cohorts/cohort-index-loader.js';
import { CohortEngine } from '../src/modules/cohorts/cohort-engine.js';
import { CohortIndex } from '../src/modules/cohorts/cohort-index.js';
import {
  readIndexSnapshot,
  writeIndexSnapshot,
} from '../src/modules/cohorts/index-snapshot-file.js';
import { initRoaring } from '../src/modules/cohorts/roaring.js';
import { SYNTH_CHROMOSOMES, SYNTH_GENES } from '../src/modules/genomics/synth/genes.js';
import {
  planCalls,
  planCarrierCounts,
  planParticipants,
  planVariants,
  SEX_NAMES,
} from '../src/modules/genomics/synth/cohort-plan.js';
import { Prng } from '../src/modules/genomics/synth/prng.js';
import { OntologyGraph } from '../src/modules/ontology/ontology-graph.js';
import { ensureShippedOntologies } from '../src/modules/ontology/ontology-import.service.js';

const { values: opts } = parseArgs({
  options: {
    participants: { type: 'string', default: '1000000' },
    variants: { type: 'string', default: '500000' },
    calls: { type: 'string', default: '10000000' },
    'terms-each': { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(opts.participants);
const M = Number(opts.variants);
const K = Number(opts.calls);
const RUNS = Number(opts.runs);
const seed = Number(opts.seed);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`;

// 1. A fresh database with the shipped ontologies and one change-log row to pin the file to.
let handle: DatabaseHandle;
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `bench_snapshot_${Date.now()}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  handle = await openDatabase({ url: url.toString() });
  dropDatabase = async () => {
    const a = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  };
} else {
  handle = await openDatabase({ pgliteDir: 'memory://' });
}
const db = handle.db;
await migrateDatabase(handle);
await ensureShippedOntologies(db, systemActor('bench'));
await db.transaction((tx) => recordCohortChange(tx, 'participant', 'all'));
const position = (await changeLogPosition(db, 1))!;
await initRoaring();
const ontology = await OntologyGraph.load(db);

// 2. The index, in memory, from the generator's plan.
let t = performance.now();
const people = planParticipants(new Prng(seed ^ 0x1), N);
const variantRng = new Prng(seed ^ 0x2);
const variants = planVariants(variantRng, M);
planCarrierCounts(variantRng, variants, N, K);
const calls = planCalls(new Prng(seed ^ 0x3), variants, N);
const index = new CohortIndex(ontology);
const termRng = new Prng(seed ^ 0x4);
const phenotypes = [...ontology.terms()].map(([curie]) => curie).filter((c) => c.startsWith('HP:'));
const termMembers = new Map<string, number[]>();
for (let i = 0; i < N; i += 1) {
  index.upsertParticipant({
    num: i + 1,
    sex: SEX_NAMES[people.sex[i]!]!,
    birthYear: people.birthYear[i]!,
    eligible: termRng.float() > 0.05,
    active: true,
    choices: 'pppppp',
    askEachTime: false,
    signedConsent: false,
    statedOwn: false,
  });
  for (let j = 0; j < Number(opts['terms-each']); j += 1) {
    const curie = phenotypes[termRng.int(phenotypes.length)]!;
    const list = termMembers.get(curie) ?? termMembers.set(curie, []).get(curie)!;
    if (list.at(-1) !== i + 1) list.push(i + 1);
  }
}
for (const [curie, nums] of termMembers) index.setTerm(curie, Uint32Array.from(nums));
index.setDatasetMembers(
  '00000000-0000-4000-8000-000000000001',
  Uint32Array.from({ length: N }, (_, i) => i + 1),
);
// Calls come in variant order; carriers of one variant are sorted here.
let at = 0;
for (let v = 0; v < M; v += 1) {
  const n = variants.carriers[v]!;
  const het: number[] = [];
  const hom: number[] = [];
  for (let k = at; k < at + n; k += 1) (calls.hom[k] ? hom : het).push(calls.participant[k]! + 1);
  at += n;
  const sorted = (xs: number[]) => Uint32Array.from(xs).sort();
  const gene = variants.gene[v]!;
  index.setVariant({
    id: v + 1,
    chrom: SYNTH_CHROMOSOMES[variants.chrom[v]!]!.chrom,
    pos: variants.pos[v]!,
    ref: variants.ref[v]!,
    alt: variants.alt[v]!,
    gene: gene >= 0 ? SYNTH_GENES[gene]!.symbol : null,
    carriers: sorted([...het, ...hom]),
    homozygous: sorted(hom),
    hemizygous: new Uint32Array(),
  });
}
console.log(
  `bench:snapshot driver=${handle.kind} participants=${N} variants=${M} calls=${calls.count} ` +
    `machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os.loadavg()[0]!.toFixed(1)}`,
);
console.log(`index        built in memory in ${secs(performance.now() - t)}; rss ${mib()}`);
const expected = index.stats();

// 3. The file, as the server writes it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-snapshot-bench-'));
const file = path.join(dir, 'cohort-index.snapshot');
t = performance.now();
await writeIndexSnapshot(file, index, position);
console.log(
  `snapshot     ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB written in ${secs(performance.now() - t)}`,
);
index.dispose();

try {
  // 4. Cold starts: the whole of it, then each step on its own.
  const starts: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r += 1) {
    const engine = new CohortEngine(db, undefined, { snapshotFile: file });
    t = performance.now();
    const cpuBefore = process.cpuUsage();
    await engine.ready();
    starts.push(performance.now() - t);
    // CPU time of this process (every thread: GC helpers included): on a shared machine it
    // says what the start costs when wall time says how long others made it wait.
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    const stats = (await engine.current()).stats();
    if (engine.origin !== 'snapshot' || JSON.stringify(stats) !== JSON.stringify(expected))
      throw new Error(`loaded from ${engine.origin}: ${JSON.stringify(stats)}`);
    await engine.settled();
    engine.dispose();
  }
  console.log(
    `cold start   ${secs(median(starts))} median of ${RUNS} (${starts.map(secs).join(', ')}); ` +
      `cpu ${secs(median(cpu))} median (${cpu.map(secs).join(', ')}); rss ${mib()}`,
  );

  const step = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await run();
    console.log(`  ${name.padEnd(44)} ${secs(performance.now() - started)}`);
    return result;
  };
  const bytes = await step('read the file', () => fs.promises.readFile(file));
  await step('sha-256 over it', () => createHash('sha256').update(bytes).digest('hex'));
  const snapshot = (await step('readIndexSnapshot (read, check, sections)', () =>
    readIndexSnapshot(file),
  ))!;
  await step('change-log position', () => changeLogPosition(db, position.changeSeq));
  const graph = await step('OntologyGraph.load', () => OntologyGraph.load(db));
  const loaded = await step('toIndex (participants, sets, variants)', () =>
    snapshot.toIndex(graph),
  );
  await step('loadConfirmedTerms', () => loadConfirmedTerms(db, loaded));
  loaded.dispose();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await handle.close();
  await dropDatabase();
}
