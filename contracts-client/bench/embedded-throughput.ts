/**
 * Throughput of the embedded chain with persistence on: records N consent items in batches of
 * MAX_BATCH_ITEMS (one tx each, each durably logged before it is reported) and prints items/s and
 * per-tx latency. Not a test: figures go to BENCHMARKS.md.
 *
 *   npx tsx bench/embedded-throughput.ts [items=20000] [dir=<temp>]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLedger } from '../src/embedded/open-embedded-ledger.js';
import { MAX_BATCH_ITEMS } from '../src/messages.js';
import { consentItems } from '../src/test-support/fixtures.js';

const total = Number(process.argv[2] ?? 20_000);
const keep = process.argv[3];
const dir = keep ?? (await mkdtemp(join(tmpdir(), 'bench-chain-')));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const { chain, ledger } = await openEmbeddedLedger({ dir });
const latencies: number[] = [];
const start = performance.now();
for (let done = 0; done < total; done += MAX_BATCH_ITEMS) {
  const items = consentItems('bench', done, Math.min(MAX_BATCH_ITEMS, total - done));
  const t = performance.now();
  await ledger.recordConsents(items);
  latencies.push(performance.now() - t);
}
const seconds = (performance.now() - start) / 1000;
const head = await ledger.head();
await chain.close();

const reopenStart = performance.now();
const reopened = await openEmbeddedLedger({ dir });
const reopenMs = performance.now() - reopenStart;
const same = (await reopened.ledger.head()).head === head.head;
await reopened.chain.close();
if (!keep) await rm(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(
  `items: ${total} in ${latencies.length} txs of <= ${MAX_BATCH_ITEMS} (persistence on: fdatasync per tx)`,
);
console.log(`throughput: ${Math.round(total / seconds)} items/s (${seconds.toFixed(2)} s)`);
console.log(
  `per-tx latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
);
console.log(`reopen (snapshot + log replay): ${reopenMs.toFixed(0)} ms, head preserved: ${same}`);
