/**
 * VCF ingest end to end into the PostgreSQL server and into PGlite, the parse rate alone, and
 * `bcftools view` (Debian) reading the same file, in one run. Not a test: figures go to
 * BENCHMARKS.md.
 *
 *   npm run bench:ingest -- [--participants 2000] [--variants 20000] [--calls 2000000]
 *                           [--samples-per-file N]  (default: every participant in one file)
 *                           [--log-statements] [--explain-slower-than MS]
 * With --samples-per-file the calls are spread over participants / N files, ingested one after
 * the other (each its own transaction), to show the per-file overhead.
 * DATABASE_URL names the PostgreSQL server (a fresh database is created and dropped);
 * SKIP_PGLITE=1 leaves PGlite out. --log-statements has the server log every statement of the
 * bench's database with its duration (`log_min_duration_statement = 0` set on that database
 * alone, so nothing else on the server logs more), for a statement-level breakdown from the
 * server's log; --explain-slower-than logs the plans (auto_explain, with actual rows) of the
 * statements slower than that many milliseconds, on that database alone too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { insertUser } from '../src/modules/accounts/accounts.service.js';
import { systemActor } from '../src/modules/actors/actor.js';
import { registerDataset } from '../src/modules/datasets/datasets.service.js';
import { ingestVcf } from '../src/modules/datasets/ingest/vcf-ingest.service.js';
import { generateSyntheticCohort } from '../src/modules/genomics/synth/generate-cohort.js';
import { openVcf } from '../src/modules/genomics/vcf/read-vcf.js';
import { importParticipants } from '../src/modules/participants/participant-import.service.js';

const { values: opts } = parseArgs({
  options: {
    participants: { type: 'string', default: '2000' },
    variants: { type: 'string', default: '20000' },
    calls: { type: 'string', default: '2000000' },
    'samples-per-file': { type: 'string' },
    'log-statements': { type: 'boolean', default: false },
    'explain-slower-than': { type: 'string' },
  },
});
const N = Number(opts.participants);
const operator = systemActor('bench');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bench-ingest-'));
const truth = await generateSyntheticCohort({
  participants: N,
  variants: Number(opts.variants),
  calls: Number(opts.calls),
  seed: 5,
  outDir: dir,
  samplesPerFile: Number(opts['samples-per-file'] ?? N),
});
const vcfPaths = truth.vcfFiles.map((f) => path.join(dir, f.file));
const calls = truth.calls;
const size = vcfPaths.reduce((sum, p) => sum + fs.statSync(p).size, 0);
console.log(
  `bench:ingest ${vcfPaths.length} VCF file(s): ${N} samples, ${truth.vcfFiles.reduce((n, f) => n + f.records, 0)} records, ${calls} calls, ${(size / 2 ** 20).toFixed(1)} MiB gzip; ${os.cpus().length}× ${os.cpus()[0]?.model}`,
);
const rate = (ms: number) => `${Math.round(calls / (ms / 1000)).toLocaleString('en')} calls/s`;

// Parse alone.
let t = performance.now();
let parsed = 0;
for (const vcfPath of vcfPaths) {
  const reader = await openVcf(vcfPath);
  for await (const b of reader.batches()) parsed += b.calls.length;
  reader.close();
}
const parseMs = performance.now() - t;
console.log(
  `parse only          ${(parseMs / 1000).toFixed(2)} s  ${rate(parseMs)} (${parsed} calls)`,
);

// bcftools view on the same file.
let bcftoolsMs: number | null = null;
try {
  t = performance.now();
  for (const vcfPath of vcfPaths)
    execFileSync('bcftools', ['view', '-Ov', '-o', '/dev/null', vcfPath], { stdio: 'ignore' });
  bcftoolsMs = performance.now() - t;
  console.log(
    `bcftools view       ${(bcftoolsMs / 1000).toFixed(2)} s  ${rate(bcftoolsMs)} (decompress, parse, write)`,
  );
} catch {
  console.log(
    "bcftools view       not run: install Debian's bcftools (apt-get install bcftools) to compare",
  );
}

async function ingestInto(handle: DatabaseHandle, label: string): Promise<number> {
  await migrateDatabase(handle);
  await importParticipants(handle.db, operator, path.join(dir, truth.participantsFile));
  const steward = await handle.db.transaction((tx) =>
    insertUser(tx, {
      email: 'bench@bench.local',
      password: 'bench-password-123',
      displayName: 'S',
      role: 'steward',
      institution: null,
    }),
  );
  const dataset = await handle.db.transaction((tx) =>
    registerDataset(tx, operator, {
      name: 'Bench',
      dataUse: { permission: 'GRU' },
      stewardId: steward.id,
    }),
  );
  const from = new Date();
  const s = performance.now();
  for (const vcfPath of vcfPaths)
    await ingestVcf(handle.db, operator, { datasetId: dataset.id, path: vcfPath });
  const ms = performance.now() - s;
  if (opts['log-statements'] && handle.kind === 'postgres')
    console.log(`statements logged from ${from.toISOString()} to ${new Date().toISOString()}`);
  console.log(
    `ingest ${label.padEnd(13)}${(ms / 1000).toFixed(2)} s  ${rate(ms)}${bcftoolsMs ? `  (${(ms / bcftoolsMs).toFixed(1)}× bcftools time)` : ''}${vcfPaths.length > 1 ? `  ${(ms / vcfPaths.length).toFixed(1)} ms a file` : ''}`,
  );
  await handle.close();
  return ms;
}

if (process.env.DATABASE_URL) {
  const name = `consentome_bench_ingest_${Date.now()}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  if (opts['log-statements'])
    await admin.unsafe(`alter database ${name} set log_min_duration_statement = 0`);
  if (opts['explain-slower-than']) {
    // auto_explain on the bench's database alone: the plan of every statement slower than that.
    await admin.unsafe(`alter database ${name} set session_preload_libraries = 'auto_explain'`);
    await admin.unsafe(
      `alter database ${name} set auto_explain.log_min_duration = ${Number(opts['explain-slower-than'])}`,
    );
    await admin.unsafe(`alter database ${name} set auto_explain.log_analyze = on`);
    await admin.unsafe(`alter database ${name} set auto_explain.log_triggers = on`);
  }
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  await ingestInto(await openDatabase({ url: url.toString() }), 'PostgreSQL');
  await admin.unsafe(`drop database ${name} with (force)`);
  await admin.end();
} else {
  console.log('ingest PostgreSQL   not run: set DATABASE_URL');
}
if (!process.env.SKIP_PGLITE)
  await ingestInto(await openDatabase({ pgliteDir: 'memory://' }), 'PGlite');
fs.rmSync(dir, { recursive: true, force: true });
