/**
 * Federated count latency (issue #14): three institutions on one embedded chain, each with its
 * own database and API on a loopback port, and the home site's `networkCohortCount` (which asks
 * the two others' Beacons over HTTP with signed visas) against the home site's own
 * `cohortCount` alone, in the same run, with the same criteria.
 *
 *   npm run bench:federation -w @consentome/server -- [--people 2000] [--queries 200]
 *
 * Prints p50/p95/p99 in milliseconds for both. Not part of the test command.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { insertPeople, startNetworkSite } from '../src/test/network-site.js';
import { loginAs, makeUser } from '../src/test/in-process-api.js';
import { openTestLedger } from '../src/test/test-chain.js';
import { TEST_DRIVER } from '../src/test/test-database.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '2000' },
    queries: { type: 'string', default: '200' },
  },
});
const people = Number(values.people);
const queries = Number(values.queries);
const TERMS = ['HP:0001250', 'HP:0001263', 'HP:0001627', 'MONDO:0005575', 'MONDO:0007254'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(label: string, times: number[]): void {
  const sorted = [...times].sort((x, y) => x - y);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(34)} n=${times.length}  p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  p99 ${f(percentile(sorted, 99))} ms`,
  );
}

const chain = await openTestLedger();
const sites = await Promise.all(
  ['bench-a', 'bench-b', 'bench-c'].map((id) =>
    startNetworkSite(chain, id, {
      countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: queries * 3 },
    }),
  ),
);
const [a] = sites;
for (const site of sites) {
  await insertPeople(
    site.db.db,
    TERMS.flatMap((phenotype) => [
      { count: Math.floor(people / 10), sex: 'female' as const, phenotype },
      { count: Math.floor(people / 10), sex: 'male' as const, phenotype },
    ]),
  );
  await chain.ledger.admitMember(await site.memberInput());
}
await chain.ledger.closeBootstrap();
const token = await loginAs(a!.gql, await makeUser(a!.db.db, 'researcher'));

const criteriaFor = (i: number) => ({
  phenotypes: [TERMS[i % TERMS.length]!],
  ...(i % 3 === 0 ? {} : { sex: i % 3 === 1 ? 'female' : 'male' }),
});

async function timed(query: string, i: number): Promise<number> {
  const t0 = performance.now();
  const res = await a!.gql(query, { c: criteriaFor(i) }, { token });
  const ms = performance.now() - t0;
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return ms;
}

const LOCAL = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`;
const NETWORK = `query($c: CohortCriteriaInput!) { networkCohortCount(criteria: $c) { total { display complete } } }`;
// Warm-up: index builds, JWKS fetches, JIT.
for (let i = 0; i < 5; i += 1) {
  await timed(LOCAL, i);
  await timed(NETWORK, i);
}
const local: number[] = [];
const network: number[] = [];
for (let i = 0; i < queries; i += 1) {
  local.push(await timed(LOCAL, i));
  network.push(await timed(NETWORK, i));
}
console.log(
  `federation bench: 3 sites × ${people} participants, ${queries} queries each, driver ${TEST_DRIVER}, node ${process.version}`,
);
summary('one site alone (cohortCount)', local);
summary('three sites (networkCohortCount)', network);
await Promise.all(sites.map((s) => s.close()));
await chain.chain.close();
