/**
 * Issue #14 on a wasmd localnet: how long after a participant signs a withdrawal at site A does
 * site B refuse to count or export them, in blocks and seconds; and what one pass of B's linked
 * decisions costs with many linked participants, reading them one at a time (as before) and
 * `LINKED_READ_CONCURRENCY` at a time.
 *
 *   npm run chain:local -- --home /tmp/lw --port-base auto   # then, in another shell:
 *   set -a; . /tmp/lw/chain.env; set +a
 *   npm run bench:linked-withdrawal -w @consentome/server -- [--links 30] [--rounds 5]
 *
 * Two member sites on a fresh contract (B signs with the localnet's relayer key, A with its
 * admin key), each with its own database and its WebAuthn relying party; `--links` people
 * enrolled at both with a software passkey at each and their records linked; then `--rounds`
 * withdrawals, each by another linked person, signed at A and carried by A's relay running as
 * the server runs it (a flush every 500 ms), and `--rounds` more with the relay woken when
 * the withdrawal commits (as the API wakes it after each GraphQL write). B reads its cohort index (what every count, request, grant and export reads first) in a
 * loop until the person is out; blocks are the chain's height then minus its height when the
 * withdrawal was signed. Not part of the test command.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import {
  SigningConsentLedger,
  connectRealChain,
  readChainConfig,
} from '@consentome/contracts-client';
import { createLogger } from '../src/lib/logger.js';
import { OutboxRelay } from '../src/modules/chain/outbox-relay.js';
import {
  LINKED_READ_CONCURRENCY,
  applyLatestLinkedDecisions,
} from '../src/modules/federation/linked-decisions.js';
import { participants } from '../src/modules/participants/participants.tables.js';
import {
  addToSiteData,
  enrolWithPasskey,
  linkRecords,
  withdrawSigned,
  type SiteParticipant,
} from '../src/test/linked-person.js';
import { insertPeople, startNetworkSiteOn, type NetworkSite } from '../src/test/network-site.js';
import { openRealTestLedger } from '../src/test/real-test-chain.js';
import { TEST_DRIVER } from '../src/test/test-database.js';

const { values } = parseArgs({
  options: {
    links: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '5' },
  },
});
const links = Number(values.links);
const rounds = Number(values.rounds);
if (!(rounds >= 1 && links >= 2 * rounds))
  throw new Error('need --rounds ≥ 1 and --links ≥ 2 × --rounds');
const RP_A = { origin: 'http://localhost:5173', rp_id: 'localhost' };
const RP_B = { origin: 'http://127.0.0.1:5174', rp_id: '127.0.0.1' };
const SEIZURE = 'HP:0001250';
const quiet = createLogger('silent');

const config = readChainConfig();
if (config.mode !== 'real') throw new Error('set CHAIN_RPC_URL etc. from a localnet chain.env');
const chain = await openRealTestLedger('linked withdrawal bench');
const adminMnemonic = process.env.CHAIN_ADMIN_MNEMONIC;
if (!adminMnemonic) throw new Error("site A signs with the localnet's CHAIN_ADMIN_MNEMONIC");
const keyA = await connectRealChain({ ...config, mnemonic: adminMnemonic });
const siteOn = (backend: typeof chain.backend, sender: string, id: string, webauthn: typeof RP_A) =>
  startNetworkSiteOn(
    {
      kind: 'real',
      backend,
      ledger: new SigningConsentLedger(backend, chain.contractAddress, sender),
      contractAddress: chain.contractAddress,
    },
    id,
    { webauthn },
  );
const b: NetworkSite = await siteOn(chain.backend, chain.ledger.sender, 'site-b', RP_B);
const a: NetworkSite = await siteOn(keyA.backend, keyA.sender, 'site-a', RP_A);
await chain.ledger.admitMember(await a.memberInput());
await chain.ledger.admitMember(await b.memberInput());
await a.ledger.setSiteWebauthn(RP_A);
await b.ledger.setSiteWebauthn(RP_B);
const datasetId = await insertPeople(b.db.db, [{ count: 20, sex: 'female', phenotype: SEIZURE }]);

const setupStarted = performance.now();
const people: { atA: SiteParticipant; atB: SiteParticipant; num: number }[] = [];
for (let i = 0; i < links; i += 1) {
  const atA = await enrolWithPasskey(a, RP_A, `linked${i}@site-a.local`);
  const atB = await enrolWithPasskey(b, RP_B, `linked${i}@site-b.local`);
  await addToSiteData(b.db.db, atB.id, datasetId, SEIZURE);
  const [row] = await b.db.db
    .select({ num: participants.num })
    .from(participants)
    .where(eq(participants.id, atB.id));
  people.push({ atA, atB, num: row!.num });
}
const relayA = new OutboxRelay(a.db.db, a.ledger, quiet);
const relayB = new OutboxRelay(b.db.db, b.ledger, quiet);
await relayA.drain();
await relayB.drain();
for (const { atA, atB } of people)
  await linkRecords(
    { site: a, rp: RP_A, person: atA },
    { site: b, rp: RP_B, person: atB, member: 'site-b' },
  );
const setupSeconds = (performance.now() - setupStarted) / 1000;

const percentile = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// One pass of B's linked decisions with nothing new: what B pays after every block.
await applyLatestLinkedDecisions(b.db.db, b.ledger); // warm-up, and applies nothing
const passes: Record<string, number[]> = { sequential: [], bounded: [] };
for (let i = 0; i < 10; i += 1) {
  for (const [label, concurrency] of [
    ['sequential', 1],
    ['bounded', LINKED_READ_CONCURRENCY],
  ] as const) {
    const t0 = performance.now();
    await applyLatestLinkedDecisions(b.db.db, b.ledger, concurrency);
    passes[label]!.push(performance.now() - t0);
  }
}

// Withdrawal at A → B leaves the person out, with A's relay running as the server runs it (a
// flush every 500 ms): first without a wake, as before, then woken when the withdrawal commits,
// as the API now does after every GraphQL write (graphql/run.ts).
type Timing = { seconds: number; blocks: number };
async function withdrawalTiming(person: (typeof people)[number], wake: boolean) {
  const signedAt = await chain.ledger.height();
  const t0 = performance.now();
  await withdrawSigned(a.db.db, RP_A, person.atA);
  if (wake) void relayA.wake();
  for (;;) {
    const index = await b.services.cohorts.current(); // applies linked decisions first
    const members = index.members({ phenotypes: [SEIZURE], sex: 'female' });
    const counted = members.has(person.num);
    members.dispose?.();
    if (!counted) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, blocks: (await chain.ledger.height()) - signedAt };
}
const timings: Record<'relay every 500 ms' | 'relay woken at commit', Timing[]> = {
  'relay every 500 ms': [],
  'relay woken at commit': [],
};
relayA.start(500);
try {
  for (let r = 0; r < rounds; r += 1)
    timings['relay every 500 ms'].push(await withdrawalTiming(people[r]!, false));
  for (let r = 0; r < rounds; r += 1)
    timings['relay woken at commit'].push(await withdrawalTiming(people[rounds + r]!, true));
} finally {
  await relayA.stop();
}

console.log(
  `linked withdrawal bench: wasmd localnet ${process.env.CHAIN_RPC_URL}, ${links} linked participants, ${rounds} withdrawals each way, driver ${TEST_DRIVER}, node ${process.version}`,
);
console.log(`setup (enrol, passkeys, links): ${setupSeconds.toFixed(1)} s`);
for (const [label, times] of Object.entries(passes))
  console.log(
    `B's pass over ${links} links, nothing new, ${label.padEnd(10)} p50 ${percentile(times, 50).toFixed(1)} ms  max ${Math.max(...times).toFixed(1)} ms`,
  );
for (const [label, times] of Object.entries(timings))
  console.log(
    `withdrawal signed at A → B leaves them out, ${label}: ${times.map((t) => t.seconds.toFixed(2)).join(', ')} s; ${times.map((t) => t.blocks).join(', ')} blocks (p50 ${percentile(
      times.map((t) => t.seconds),
      50,
    ).toFixed(2)} s, max ${Math.max(...times.map((t) => t.blocks))} blocks)`,
  );
await a.close();
await b.close();
await keyA.backend.close();
await chain.close();
