/**
 * The audit trail at scale (issue #19, item 6): how fast `audit verify` recomputes the hash chain,
 * and how long a participant's timeline with inclusion proofs takes, with N events in the log.
 * Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:audit -- --events 1000000 [--runs 50]
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards) or PGlite in
 * memory. Events are appended through the audit service (1,000 per call, each hash covering the
 * previous), sealed into batches of 1,000 as the chain worker does; one in every 2,000 is about
 * the demo patient, whose timeline is then read as the portal reads it (50 events a page).
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
import { verifyAuditChain } from '../src/modules/audit/audit-verify.js';
import { participantTimeline } from '../src/modules/audit-explorer/participant-timeline.service.js';
import { sealAuditBatches } from '../src/modules/chain/audit-batcher.js';
import { seedDemo } from '../src/modules/demo/seed-demo.js';
import { participants } from '../src/modules/participants/participants.tables.js';

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '50' },
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
  const name = `bench_audit_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  handle = await openDatabase({ url: url.toString() });
  drop = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
} else {
  handle = await openDatabase({ pgliteDir: 'memory://' });
}
const db = handle.db;
try {
  await migrateDatabase(handle);
  await seedDemo(db, { workflow: false });
  const [patient] = await db
    .select({ userId: users.id, role: users.role, participantId: participants.id })
    .from(users)
    .innerJoin(participants, eq(participants.userId, users.id))
    .where(eq(users.email, 'patient@demo.local'));
  if (!patient) throw new Error('the demo has no patient');
  console.log(
    `bench:audit driver=${handle.kind} events=${N} machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os.loadavg()[0]!.toFixed(1)}`,
  );

  // 1. N events through the service, sealed into batches as the chain worker seals them.
  const actor = systemActor('bench');
  let t = performance.now();
  const CHUNK = 1_000;
  for (let done = 0; done < N; done += CHUNK) {
    const entries: AuditEntry[] = [];
    for (let i = done; i < Math.min(N, done + CHUNK); i += 1)
      entries.push({
        action: i % 2_000 === 0 ? 'data_use.read' : 'cohort.count',
        targetType: i % 2_000 === 0 ? 'participant' : 'cohort',
        targetId: i % 2_000 === 0 ? patient.participantId : null,
        participantId: i % 2_000 === 0 ? patient.participantId : null,
        payload: { shown: '<20', genes: ['BRCA2'], i },
      });
    await db.transaction((tx) => appendAuditEvents(tx, actor, entries));
    if (done % 500_000 === 0 && done > 0)
      process.stderr.write(`  ${done} events (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  const appendMs = performance.now() - t;
  t = performance.now();
  const batches = await sealAuditBatches(db, { maxEvents: 1_000, maxWaitMs: 0 });
  console.log(
    `append: ${(N / (appendMs / 1000)).toFixed(0)} events/s; sealing ${batches} batches: ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // 2. audit verify over the whole log.
  t = performance.now();
  const verification = await verifyAuditChain(db);
  const verifyMs = performance.now() - t;
  if (!verification.ok)
    throw new Error(`the chain does not verify: ${JSON.stringify(verification)}`);
  console.log(
    `audit verify: ${verification.checkedEvents} events in ${(verifyMs / 1000).toFixed(2)} s = ${(verification.checkedEvents / (verifyMs / 1000)).toFixed(0)} events/s (target ≥ 250,000/s); RSS ${mib()}`,
  );

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
