/**
 * Consent events through the outbox onto the embedded chain (persisted), end to end:
 *   1. sustained: a producer commits consent decisions (each with its outbox row) at a fixed rate
 *      while the relay runs; prints anchored events/s and commit-to-receipt latency p50/p95/p99;
 *   2. backlog: the same number of events queued with the relay stopped, then drained; prints
 *      the drain time.
 * Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:chain -- [events=100000] [rate=1500]
 * Uses PGlite in memory, or the PostgreSQL server in DATABASE_URL.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedLedger } from '@consentome/contracts-client';
import { count, eq, sql } from 'drizzle-orm';
import type { Database } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { createLogger } from '../src/lib/logger.js';
import { systemActor } from '../src/modules/actors/actor.js';
import { chainOutbox } from '../src/modules/chain/chain.tables.js';
import { OutboxRelay } from '../src/modules/chain/outbox-relay.js';
import { enqueueConsentRecord } from '../src/modules/chain/outbox.service.js';
import { chainSubject } from '../src/modules/chain/subject-pseudonym.js';
import { createParticipant } from '../src/modules/participants/participants.service.js';

const EVENTS = Number(process.argv[2] ?? 100_000);
const RATE = Number(process.argv[3] ?? 1_500);
const SUBJECTS = 2_000;
const TX_EVENTS = 50;

const log = createLogger('warn', 'bench');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function makeSubjects(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const subjects: string[] = [];
    for (let i = 0; i < SUBJECTS; i += 1) {
      const p = await createParticipant(tx, systemActor('bench'), { sex: 'unknown' });
      subjects.push(await chainSubject(tx, p.id));
    }
    return subjects;
  });
}

/** Commits `n` consent decisions in transactions of TX_EVENTS, paced at `rate` per second. */
async function produce(
  db: Database,
  subjects: string[],
  tag: string,
  n: number,
  rate: number | null,
): Promise<void> {
  const versions = new Map<string, number>();
  const start = performance.now();
  for (let done = 0; done < n; done += TX_EVENTS) {
    if (rate) {
      const due = start + (done / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await db.transaction(async (tx) => {
      for (let i = done; i < Math.min(n, done + TX_EVENTS); i += 1) {
        const subject = subjects[i % subjects.length]!;
        const version = (versions.get(subject) ?? 0) + 1;
        versions.set(subject, version);
        await enqueueConsentRecord(tx, {
          event_id: `consent:${tag}:${i}`,
          subject,
          scope: `purpose:${tag}`,
          decision: i % 3 ? 'permit' : 'deny',
          version,
          evidence: sha(`${tag}-${i}`),
          time: String(1_790_000_000 + i),
        });
      }
    });
  }
}

async function confirmedCount(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(chainOutbox)
    .where(eq(chainOutbox.status, 'confirmed'));
  return row?.n ?? 0;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const chainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bench-chain-'));
const handle = await openDatabase(
  process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { pgliteDir: 'memory://' },
);
await migrateDatabase(handle);
const db = handle.db;
const embedded = await openEmbeddedLedger({ dir: chainDir });
console.log(
  `bench:chain  events=${EVENTS} rate=${RATE}/s driver=${handle.kind} chain=embedded (persisted in ${chainDir})`,
);
const subjects = await makeSubjects(db);

// 1. Sustained: producer and relay together.
const relay = new OutboxRelay(db, embedded.ledger, log);
relay.start(50);
const t0 = performance.now();
await produce(db, subjects, 'sustained', EVENTS, RATE);
const produced = performance.now();
while ((await confirmedCount(db)) < EVENTS) await new Promise((r) => setTimeout(r, 50));
const t1 = performance.now();
await relay.stop();
const latencies = (
  await queryRows<{ ms: number }>(
    db,
    sql`select extract(epoch from (confirmed_at - created_at)) * 1000 as ms from chain_outbox where status = 'confirmed'`,
  )
)
  .map((r) => Number(r.ms))
  .sort((a, b) => a - b);
const sustainedSeconds = (t1 - t0) / 1000;
console.log(
  `sustained    ${EVENTS} events in ${sustainedSeconds.toFixed(1)} s = ${(EVENTS / sustainedSeconds).toFixed(0)} anchored events/s ` +
    `(producer finished after ${((produced - t0) / 1000).toFixed(1)} s)`,
);
console.log(
  `latency      commit→receipt p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms`,
);

// 2. Backlog: queue everything with the relay stopped, then drain.
await produce(db, subjects, 'backlog', EVENTS, null);
const d0 = performance.now();
const drained = await new OutboxRelay(db, embedded.ledger, log).drain();
const drainSeconds = (performance.now() - d0) / 1000;
console.log(
  `backlog      drained ${drained.confirmed} events in ${drainSeconds.toFixed(1)} s = ${(drained.confirmed / drainSeconds).toFixed(0)} events/s, ${drained.transactions} txs, ${drained.failed} failed`,
);
const head = await embedded.ledger.head();
console.log(`chain        ${head.consents} consents on chain, head ${head.head}`);
console.log(`memory       rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
await embedded.chain.close();
await handle.close();
fs.rmSync(chainDir, { recursive: true, force: true });
