/**
 * The audit trail at scale (issue #19, item 6): how fast `audit verify` recomputes the hash chain,
 * and how long a participant's timeline with inclusion proofs takes, with N events in the log.
 * Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:audit -- --events 1000000 [--runs 50] [--load bulk|service] [--workers N]
 *                          [--one-thread] [--keep | --reuse <database>]
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards unless --keep;
 * --reuse measures a kept one again) or PGlite in memory. The events are the chain the audit
 * service writes (1,000 per call, each hash covering the previous): COPYed by the bulk loader
 * (the default; the same rows, tested) or appended through the service (--load service), then
 * sealed into batches of 1,000 by the chain worker's own sealing. One in every 2,000 is about the
 * demo patient, whose timeline is then read as the portal reads it (50 events a page).
 * --one-thread also times the verifier with its workers off, in the same run.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { users } from '../src/modules/accounts/accounts.tables.js';
import { systemActor, type UserActor } from '../src/modules/actors/actor.js';
import { appendAuditEvents, type AuditEntry } from '../src/modules/audit/audit.service.js';
import { bulkLoadAuditEvents } from '../src/modules/audit/audit-bulk-load.js';
import { verifyAuditChain, type VerifyOptions } from '../src/modules/audit/audit-verify.js';
import { participantTimeline } from '../src/modules/audit-explorer/participant-timeline.service.js';
import { sealAuditBatches } from '../src/modules/chain/audit-batcher.js';
import { seedDemo } from '../src/modules/demo/seed-demo.js';
import { participants } from '../src/modules/participants/participants.tables.js';

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '50' },
    load: { type: 'string', default: 'bulk' },
    workers: { type: 'string' },
    'one-thread': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const N = Number(opts.events);
const RUNS = Number(opts.runs);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mib = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`;

let handle: DatabaseHandle;
let drop = async () => {};
if (process.env.DATABASE_URL) {
  const name = opts.reuse ?? `bench_audit_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  if (!opts.reuse) await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  handle = await openDatabase({ url: url.toString() });
  drop = async () => {
    if (opts.keep || opts.reuse) console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
} else {
  handle = await openDatabase({ pgliteDir: 'memory://' });
}
const db = handle.db;
try {
  await migrateDatabase(handle);
  if (!opts.reuse) await seedDemo(db, { workflow: false });
  const [patient] = await db
    .select({ userId: users.id, role: users.role, participantId: participants.id })
    .from(users)
    .innerJoin(participants, eq(participants.userId, users.id))
    .where(eq(users.email, 'patient@demo.local'));
  if (!patient) throw new Error('the demo has no patient');
  console.log(
    `bench:audit driver=${handle.kind} events=${N} machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os.loadavg()[0]!.toFixed(1)}`,
  );

  // 1. N events (the service's chain), sealed into batches as the chain worker seals them.
  const actor = systemActor('bench');
  const entry = (i: number): AuditEntry => ({
    action: i % 2_000 === 0 ? 'data_use.read' : 'cohort.count',
    targetType: i % 2_000 === 0 ? 'participant' : 'cohort',
    targetId: i % 2_000 === 0 ? patient.participantId : undefined,
    participantId: i % 2_000 === 0 ? patient.participantId : undefined,
    payload: { shown: '<20', genes: ['BRCA2'], i },
  });
  let t = performance.now();
  const progress = (done: number) => {
    if (done % 500_000 === 0 && done > 0)
      process.stderr.write(`  ${done} events (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  };
  if (opts.reuse) {
    console.log('reusing the database: no events added');
  } else if (opts.load === 'service') {
    const CHUNK = 1_000;
    for (let done = 0; done < N; done += CHUNK) {
      const entries: AuditEntry[] = [];
      for (let i = done; i < Math.min(N, done + CHUNK); i += 1) entries.push(entry(i));
      await db.transaction((tx) => appendAuditEvents(tx, actor, entries));
      progress(done);
    }
  } else {
    await bulkLoadAuditEvents(db, { events: N, entry, actor, onProgress: progress });
  }
  const appendMs = performance.now() - t;
  t = performance.now();
  const batches = await sealAuditBatches(db, { maxEvents: 1_000, maxWaitMs: 0 });
  console.log(
    `${opts.reuse ? 'no append' : `append (${opts.load}): ${(N / (appendMs / 1000)).toFixed(0)} events/s`}; sealing ${batches} batches: ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // 2. audit verify over the whole log.
  const verify = async (label: string, options: VerifyOptions) => {
    t = performance.now();
    const verification = await verifyAuditChain(db, options);
    const verifyMs = performance.now() - t;
    if (!verification.ok)
      throw new Error(`the chain does not verify: ${JSON.stringify(verification)}`);
    console.log(
      `audit verify (${label}): ${verification.checkedEvents} events in ${(verifyMs / 1000).toFixed(2)} s = ${(verification.checkedEvents / (verifyMs / 1000)).toFixed(0)} events/s (target ≥ 250,000/s); RSS ${mib()}; load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  };
  const workers = opts.workers === undefined ? undefined : Number(opts.workers);
  await verify(`${workers ?? os.availableParallelism()} workers`, { workers });
  if (opts['one-thread']) await verify('one thread', { workers: 0 });

  // 3. The participant's timeline with proofs, 50 events a page, as the portal asks for it.
  const viewer: UserActor = {
    kind: 'user',
    userId: patient.userId,
    role: 'participant',
    sessionId: null,
  };
  const times: number[] = [];
  let proved = 0;
  for (let i = 0; i < RUNS; i += 1) {
    // Each read is itself audited: seal it (untimed), so every page is all proved events.
    await sealAuditBatches(db, { maxEvents: 1_000, maxWaitMs: 0 });
    t = performance.now();
    const page = await db.transaction((tx) => participantTimeline(tx, viewer, { limit: 50 }));
    times.push(performance.now() - t);
    proved = page.filter((e) => e.proof !== null).length;
  }
  console.log(
    `timeline with proofs (50 a page, ${proved} with a proof): p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (target p95 ≤ 50 ms)`,
  );
} finally {
  await handle.close();
  await drop();
}
