/**
 * The load and fault suite (issue #11): kept out of CI, run with one command.
 *
 *   npm run test:load -- [--drivers pglite,postgres] [--burst 1000] [--kill-rounds 3]
 *                        [--outage-seconds 60] [--only burst,faults,outage]
 *
 * 1. burst:  a bounded burst of N concurrent authenticated requests against `consentome serve`
 *            on loopback (autocannon): p50/p99, errors.
 * 2. faults: kill -9 of the server at random points while consent writes (outbox relay, audit
 *            batches), a VCF ingest and the workflow worker run; restart; at the end the
 *            invariants: `audit verify` passes (hash chain and every anchor), nothing lost,
 *            nothing twice (chain records = outbox rows; every acknowledged write stored; the
 *            ingest all or nothing).
 * 3. outage: the chain down for --outage-seconds under write load; the API keeps answering and
 *            the backlog drains afterwards.
 * Exits 1 if any invariant fails. Figures go to BENCHMARKS.md by hand.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runBurst } from './burst.js';
import { runChainOutage } from './chain-outage.js';
import { runKillFaults } from './kill-faults.js';
import { probeLatency } from './probe-latency.js';
import { createTarget, type Driver } from './targets.js';

const { values: opts } = parseArgs({
  options: {
    drivers: { type: 'string', default: 'pglite,postgres' },
    burst: { type: 'string', default: '1000' },
    'kill-rounds': { type: 'string', default: '3' },
    'outage-seconds': { type: 'string', default: '60' },
    only: { type: 'string', default: 'burst,probe,faults,outage' },
  },
});
const drivers = opts.drivers.split(',') as Driver[];
const only = new Set(opts.only.split(','));
const ms = (v: number) => `${Math.round(v).toLocaleString('en')} ms`;

console.log(
  `test:load on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}`,
);
let failed = false;
for (const driver of drivers) {
  if (only.has('burst')) {
    const target = await createTarget(driver, 'burst');
    try {
      const n = Number(opts.burst);
      const r = await runBurst(target, n, '{ me { id } }');
      console.log(
        `[${driver}] burst of ${n} concurrent authenticated requests ({ me { id } }): ${r.ok}/${r.requests} ok, ${r.errors} errors, ${r.non2xx} non-2xx; p50 ${ms(r.p50)}, p90 ${ms(r.p90)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; ${r.seconds.toFixed(1)} s`,
      );
      if (r.errors || r.non2xx || r.ok !== n) failed = true;
    } finally {
      await target.dispose();
    }
  }
  if (only.has('probe')) {
    const target = await createTarget(driver, 'probe');
    try {
      for (const [shape, mean] of Object.entries(await probeLatency(target)))
        console.log(`[${driver}] sequential ${shape}: ${mean.toFixed(2)} ms per request`);
    } finally {
      await target.dispose();
    }
  }
  if (only.has('faults')) {
    const target = await createTarget(driver, 'faults');
    try {
      const r = await runKillFaults(target, Number(opts['kill-rounds']), (line) =>
        console.log(`[${driver}] ${line}`),
      );
      if (!r.ok) failed = true;
    } finally {
      await target.dispose();
    }
  }
  if (only.has('outage')) {
    const r = await runChainOutage(driver, Number(opts['outage-seconds']), (line) =>
      console.log(`[${driver}] ${line}`),
    );
    if (!r.ok) failed = true;
  }
}
console.log(failed ? 'test:load: FAILED' : 'test:load: all invariants held');
process.exitCode = failed ? 1 : 0;
