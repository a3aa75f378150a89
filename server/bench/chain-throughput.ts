/**
 * Consent events through the outbox onto a chain, end to end, on the embedded chain (persisted)
 * and on a wasmd localnet in the same run:
 *   1. sustained: a producer commits consent decisions (each with its outbox row) at a fixed rate
 *      while the relay runs; prints anchored events/s and commit-to-receipt latency p50/p95/p99;
 *   2. backlog: the same number of events queued with the relay stopped, then drained; prints
 *      the drain time;
 *   3. wasmd only: gas of a 1-item and a 500-item record_consents, gas per item, and the largest
 *      batch the block gas limit admits.
 * Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:chain -- [events=20000] [rate=1200] [block-ms=500]
 * Uses PGlite in memory, or the PostgreSQL server in DATABASE_URL. The localnet is started by the
 * benchmark (scripts/chain/localnet.mjs, `block-ms` blocks) unless CHAIN_RPC_URL names a chain.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  RealChainSession,
  SigningConsentLedger,
  openEmbeddedLedger,
  readChainConfig,
  senderAddress,
} from '@consentome/contracts-client';
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

const EVENTS = Number(process.argv[2] ?? 20_000);
const RATE = Number(process.argv[3] ?? 1_200);
const BLOCK_MS = Number(process.argv[4] ?? 500);
const SUBJECTS = 2_000;
const TX_EVENTS = 50;

const log = createLogger((process.env.LOG_LEVEL as 'warn' | undefined) ?? 'error', 'bench');
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

interface Figures {
  chain: string;
  sustainedPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  backlogPerSecond: number;
  backlogTxs: number;
  failed: number;
}

/** Runs both phases against `ledger` on a fresh database; prints and returns the figures. */
async function runPhases(chain: string, ledger: SigningConsentLedger): Promise<Figures> {
  const handle = await openDatabase(
    process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { pgliteDir: 'memory://' },
  );
  await migrateDatabase(handle);
  const db = handle.db;
  if (process.env.DATABASE_URL) await handle.exec('truncate chain_outbox, chain_receipts cascade');
  const subjects = await makeSubjects(db);

  // 1. Sustained: producer and relay together.
  const relay = new OutboxRelay(db, ledger, log);
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
    `[${chain}] sustained ${EVENTS} events in ${sustainedSeconds.toFixed(1)} s = ${(EVENTS / sustainedSeconds).toFixed(0)} anchored events/s ` +
      `(producer finished after ${((produced - t0) / 1000).toFixed(1)} s)`,
  );
  const [p50, p95, p99] = [pct(latencies, 50), pct(latencies, 95), pct(latencies, 99)];
  const max = latencies[latencies.length - 1] ?? NaN;
  console.log(
    `[${chain}] latency commit→receipt p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms`,
  );

  // 2. Backlog: queue everything with the relay stopped, then drain.
  await produce(db, subjects, 'backlog', EVENTS, null);
  const d0 = performance.now();
  // Drain until everything is confirmed: a transient failure (a slow node) defers the rest of a
  // flush, which the relay's backoff then retries, as the running relay would.
  const backlogRelay = new OutboxRelay(db, ledger, log);
  const drained = { confirmed: 0, transactions: 0, failed: 0 };
  while ((await confirmedCount(db)) + drained.failed < 2 * EVENTS) {
    const r = await backlogRelay.drain();
    drained.confirmed += r.confirmed;
    drained.transactions += r.transactions;
    drained.failed += r.failed;
    if (r.deferred > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const drainSeconds = (performance.now() - d0) / 1000;
  console.log(
    `[${chain}] backlog drained ${drained.confirmed} events in ${drainSeconds.toFixed(1)} s = ${(drained.confirmed / drainSeconds).toFixed(0)} events/s, ${drained.transactions} txs, ${drained.failed} failed`,
  );
  const head = await ledger.head();
  console.log(`[${chain}] ${head.consents} consents on chain, head ${head.head}`);
  await handle.close();
  return {
    chain,
    sustainedPerSecond: EVENTS / sustainedSeconds,
    p50,
    p95,
    p99,
    max,
    backlogPerSecond: drained.confirmed / drainSeconds,
    backlogTxs: drained.transactions,
    failed: drained.failed,
  };
}

/** A localnet of the benchmark's own, unless CHAIN_RPC_URL names a chain. */
async function localnet(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  if (process.env.CHAIN_RPC_URL)
    return { env: process.env as Record<string, string>, stop: async () => {} };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bench-localnet-'));
  const script = fileURLToPath(new URL('../../scripts/chain/localnet.mjs', import.meta.url));
  const child = spawn(
    process.execPath,
    [script, '--home', home, '--port-base', 'auto', '--block-ms', String(BLOCK_MS)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const envFile = path.join(home, 'chain.env');
  while (!fs.existsSync(envFile)) {
    if (child.exitCode !== null) throw new Error('the localnet failed to start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return {
    env,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Gas of record_consents with 1 and with 500 new items on wasmd, and what fits in a block. */
async function gasFigures(session: RealChainSession, ledger: SigningConsentLedger, rpc: string) {
  const batch = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      event_id: `gas:${tag}:${i}`,
      subject: sha(`gas-${tag}-${i}`),
      scope: 'purpose:GAS',
      decision: 'permit' as const,
      version: 1,
      evidence: sha(`gas-evidence-${tag}-${i}`),
      time: '1790000000',
    }));
  const one = await session.execute(ledger.sender, ledger.contractAddress, {
    record_consents: { items: batch('one', 1) },
  });
  const full = await session.execute(ledger.sender, ledger.contractAddress, {
    record_consents: { items: batch('full', 500) },
  });
  const genesis = (await (await fetch(`${rpc}/consensus_params`)).json()) as {
    result: { consensus_params: { block: { max_gas: string } } };
  };
  const maxGas = Number(genesis.result.consensus_params.block.max_gas);
  const perItem = (full.gasUsed! - one.gasUsed!) / 499;
  const base = one.gasUsed! - perItem;
  // The relay asks for simulated gas × 1.4; a tx whose gas limit exceeds max_gas is refused.
  const largest = Math.floor((maxGas / 1.4 - base) / perItem);
  console.log(
    `[wasmd] gas: 1 item ${one.gasUsed}, 500 items ${full.gasUsed} (wanted ${full.gasWanted}); ` +
      `≈ ${perItem.toFixed(0)} gas per item + ${base.toFixed(0)} per tx; block max_gas ${maxGas} ` +
      `admits ≈ ${largest} items per tx at gas × 1.4 (the contract caps a batch at 500)`,
  );
}

console.log(
  `bench:chain  events=${EVENTS} rate=${RATE}/s driver=${process.env.DATABASE_URL ? 'postgres' : 'pglite'} ` +
    `(embedded chain persisted to a temp dir; wasmd localnet with ${BLOCK_MS} ms blocks)`,
);
const figures: Figures[] = [];

const chainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bench-chain-'));
const embedded = await openEmbeddedLedger({ dir: chainDir });
figures.push(await runPhases('embedded', embedded.ledger));
await embedded.chain.close();
fs.rmSync(chainDir, { recursive: true, force: true });

const net = await localnet();
try {
  const config = readChainConfig(net.env);
  if (config.mode !== 'real' || !config.contractAddress) throw new Error('no real chain');
  const session = new RealChainSession(config);
  const ledger = new SigningConsentLedger(
    session,
    config.contractAddress,
    await senderAddress(config.mnemonic, config.prefix),
  );
  figures.push(await runPhases('wasmd', ledger));
  await gasFigures(session, ledger, config.rpcUrl);
  await session.close();
} finally {
  await net.stop();
}

console.log('\nchain     sustained/s  p50 ms  p95 ms  p99 ms  backlog/s  backlog txs');
for (const f of figures)
  console.log(
    `${f.chain.padEnd(9)} ${f.sustainedPerSecond.toFixed(0).padStart(11)} ${f.p50.toFixed(0).padStart(7)} ${f.p95.toFixed(0).padStart(7)} ${f.p99.toFixed(0).padStart(7)} ${f.backlogPerSecond.toFixed(0).padStart(10)} ${String(f.backlogTxs).padStart(12)}`,
  );
console.log(`memory    rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
