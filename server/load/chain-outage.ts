import http from 'node:http';
import { createAppServices } from '../src/app/app-services.js';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { count, eq, ne } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { createRouter } from '../src/http/router.js';
import { createGraphQLServer } from '../src/http/yoga.js';
import { createLogger } from '../src/lib/logger.js';
import { verifyAnchors } from '../src/modules/chain/anchor-verify.js';
import { chainOutbox } from '../src/modules/chain/chain.tables.js';
import { ChainWorker } from '../src/modules/chain/chain-worker.js';
import { seedDemo } from '../src/modules/demo/seed-demo.js';
import { verifyAuditChain } from '../src/modules/audit/audit-verify.js';
import { SwitchableLedger, openTestLedger } from '../src/test/test-chain.js';
import { loadPreferences } from './consent-preferences.js';
import { signIn } from './server-process.js';
import { createTarget, type Driver } from './targets.js';

type Log = (line: string) => void;

const preferences = (hmb: 'PERMIT' | 'DENY') =>
  JSON.stringify({
    query: `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename } }`,
    variables: { i: loadPreferences(hmb) },
  });

/**
 * The chain down for `seconds` under load. The API, the relay and the audit sealing run in this
 * process on the real embedded chain behind a switch that makes every chain call fail as an
 * unreachable node does. Load: 20 connections of authenticated reads and one of consent changes
 * (each change queues chain work). Reports latency per phase, the backlog and how long it took
 * to drain once the chain was back; checks that nothing was lost or recorded twice.
 */
export async function runChainOutage(
  driver: Driver,
  seconds: number,
  log: Log,
): Promise<{ ok: boolean }> {
  const target = await createTarget(driver, 'outage');
  const handle = await openDatabase(
    target.databaseUrl ? { url: target.databaseUrl } : { pgliteDir: 'memory://' },
  );
  const embedded = await openTestLedger();
  const ledger = new SwitchableLedger(embedded.ledger);
  const worker = new ChainWorker(handle.db, ledger, createLogger('silent'), {
    maxEvents: 1_000,
    maxWaitMs: 500,
  });
  let server: http.Server | null = null;
  let ok = true;
  const check = (what: string, holds: boolean, detail = '') => {
    log(`${holds ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
    if (!holds) ok = false;
  };
  try {
    await migrateDatabase(handle);
    await seedDemo(handle.db);
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DEMO_SEED: 'false' });
    const yoga = createGraphQLServer(handle.db, config, createAppServices(handle.db, config));
    server = http.createServer(
      createRouter([], (request, context) => yoga.handle(request, context), config),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const reader = await signIn(url, 'researcher@demo.local');
    const patient = await signIn(url, 'patient@demo.local');
    worker.start(500, 250);
    const pending = async () =>
      (
        await handle.db
          .select({ n: count() })
          .from(chainOutbox)
          .where(ne(chainOutbox.status, 'confirmed'))
      )[0]!.n;

    const phase = async (name: string, duration: number) => {
      const [reads, writes] = await Promise.all([
        autocannon({
          url,
          connections: 20,
          duration,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` },
          body: JSON.stringify({ query: '{ me { id } }' }),
        }),
        autocannon({
          url,
          connections: 1,
          duration,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${patient}` },
          requests: [{ body: preferences('PERMIT') }, { body: preferences('DENY') }],
        }),
      ]);
      const errors =
        reads.errors +
        reads.timeouts +
        reads.non2xx +
        writes.errors +
        writes.timeouts +
        writes.non2xx;
      log(
        `${name.padEnd(22)} reads ${reads.requests.total} (p50 ${reads.latency.p50} ms, p99 ${reads.latency.p99} ms), consent writes ${writes.requests.total} (p50 ${writes.latency.p50} ms, p99 ${writes.latency.p99} ms), ${errors} errors; outbox not confirmed: ${await pending()}`,
      );
      return errors;
    };

    let errors = await phase('chain up', 10);
    ledger.down = true;
    errors += await phase(`chain down ${seconds} s`, seconds);
    const backlog = await pending();
    ledger.down = false;
    const upAt = Date.now();
    errors += await phase('chain back, under load', 10);
    while ((await pending()) > 0 && Date.now() - upAt < 300_000)
      await new Promise((r) => setTimeout(r, 200));
    const drained = (Date.now() - upAt) / 1000;
    await worker.stop();
    await new ChainWorker(handle.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 1_000,
      maxWaitMs: 0,
    }).runOnce();
    log(
      `backlog at the end of the outage ${backlog} rows; drained ${drained.toFixed(1)} s after the chain came back (load ran for the first 10 s of that)`,
    );
    check(
      'the API answered every request while the chain was down',
      errors === 0,
      `${errors} errors`,
    );
    check('the hash chain verifies', (await verifyAuditChain(handle.db)).ok);
    const anchors = await verifyAnchors(handle.db, embedded.ledger);
    check(
      'every anchor on chain matches the database',
      anchors.ok,
      anchors.firstMismatch?.reason ?? `${anchors.anchoredBatches} batches`,
    );
    const consentRows = (
      await handle.db
        .select({ n: count() })
        .from(chainOutbox)
        .where(eq(chainOutbox.kind, 'consent'))
    )[0]!.n;
    const onChain = (await embedded.ledger.head()).consents;
    check(
      'each consent record on chain exactly once',
      onChain === consentRows,
      `${onChain} on chain, ${consentRows} queued`,
    );
    check('nothing failed or left pending', (await pending()) === 0);
  } finally {
    await worker.stop();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await embedded.chain.close();
    await handle.close();
    await target.dispose();
  }
  return { ok };
}
