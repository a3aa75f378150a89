import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AnchorsResponse,
  ConsentRecord,
  GrantRecord,
  HeadResponse,
} from '@consentome/contracts-client';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { openDatabase } from '../../db/open-database.js';
import {
  graphqlCall,
  loginOverHttp,
  startApiProcess,
  type ApiProcess,
} from '../../test/api-process.js';
import { openRealTestLedger, type TestLedger } from '../../test/real-test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { wasmdSmartQuery } from '../../test/wasmd-cli.js';
import { DEMO_PASSWORD } from '../demo/demo-accounts.js';
import { verifyAnchors } from './anchor-verify.js';
import { auditBatches, chainOutbox, chainReceipts } from './chain.tables.js';
import { enqueueGrantRecord } from './outbox.service.js';

/**
 * The API as its own process on the wasmd localnet: killed with SIGKILL between a broadcast and
 * its receipt, restarted, a participant's consent change end to end, and then everything the
 * API says it recorded checked with the `wasmd` binary's own queries.
 */
describe(`the API on the wasmd localnet (${TEST_DRIVER})`, () => {
  let chain: TestLedger;
  let pgServer: TestDatabase | undefined;
  let dataDir: string;
  let api: ApiProcess | undefined;
  let env: Record<string, string>;

  /** The API's database, opened by the test while no API process runs. */
  async function openApiDatabase(): Promise<DatabaseHandle> {
    if (pgServer) return pgServer;
    return openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  }
  async function withApiDatabase<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
    const handle = await openApiDatabase();
    try {
      return await fn(handle);
    } finally {
      if (!pgServer) await handle.close();
    }
  }

  beforeAll(async () => {
    chain = await openRealTestLedger('api process test');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-api-wasmd-'));
    const chainEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] => /^CHAIN_/.test(e[0]) && e[1] !== undefined,
      ),
    );
    env = {
      ...chainEnv,
      CONSENT_CONTRACT_ADDRESS: chain.contractAddress,
      DATA_DIR: dataDir,
      DEMO_SEED: 'true',
    };
    if (TEST_DRIVER === 'postgres') {
      pgServer = await createTestDatabase();
      env.DATABASE_URL = pgServer.url!;
    }
  });
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await chain?.close();
    await pgServer?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a kill -9 between broadcast and receipt loses nothing and stores nothing twice', async () => {
    // CosmJS looks for the tx 3 s after broadcasting: a wide window between commit and receipt.
    api = await startApiProcess({ ...env, CHAIN_BROADCAST_POLL_MS: '3000' });
    let head: HeadResponse = await chain.ledger.head();
    for (let i = 0; head.consents === 0; i += 1) {
      if (i > 1_200) throw new Error(`nothing reached the chain in 60 s:\n${api.output()}`);
      await new Promise((r) => setTimeout(r, 50));
      head = await chain.ledger.head();
    }
    await api.stop('SIGKILL');
    api = undefined;

    // On chain, not confirmed in the database: the API died between broadcast and receipt.
    const unconfirmedOnChain = await withApiDatabase(async ({ db }) => {
      const rows = await db.select().from(chainOutbox).where(eq(chainOutbox.kind, 'consent'));
      const found = [];
      for (const row of rows) {
        if (row.status !== 'confirmed' && (await chain.ledger.event(row.eventId)))
          found.push(row.eventId);
      }
      // A grant to record after the restart, enqueued as the grants service does.
      await db.transaction((tx) =>
        enqueueGrantRecord(tx, {
          event_id: 'grant-evt:api-wasmd',
          grant_id: 'grant-api-wasmd',
          study_id: 'study-api-wasmd',
          cohort_root: 'c'.repeat(64),
          expiry: 1893456000,
        }),
      );
      return found;
    });
    expect(unconfirmedOnChain.length).toBeGreaterThan(0);

    api = await startApiProcess(env);
    const admin = await loginOverHttp(api.url, 'admin@demo.local', DEMO_PASSWORD);
    await waitUntilRelayed(api.url, admin);
  });

  it("a participant's consent change reaches the chain, and wasmd's own queries agree with the API", async () => {
    const url = api!.url;
    const patient = await loginOverHttp(url, 'patient@demo.local', DEMO_PASSWORD);
    const changed = await graphqlCall<{ setConsentPreferences: { __typename: string } }>(
      url,
      `mutation($input: ConsentPreferencesInput!) { setConsentPreferences(input: $input) { __typename } }`,
      {
        input: {
          purposes: {
            // "Not research in general, but health research": a refinement (allowing all
            // research while refusing health research is a contradiction the API refuses).
            gru: 'DENY',
            hmb: 'PERMIT',
            ds: 'PERMIT',
            poa: 'DENY',
            methods: 'ASK',
            commercial: 'DENY',
          },
          askEachTime: false,
          discoverable: false,
          recontact: true,
        },
      },
      patient,
    );
    expect(changed.setConsentPreferences.__typename).toMatch(/Success/);
    const admin = await loginOverHttp(url, 'admin@demo.local', DEMO_PASSWORD);
    const status = await waitUntilRelayed(url, admin);
    expect(status).toMatchObject({ kind: 'real', failed: 0, chainError: null });
    await api!.stop('SIGTERM');
    api = undefined;

    await withApiDatabase(async ({ db }) => {
      const rows = await db.select().from(chainOutbox).orderBy(asc(chainOutbox.id));
      expect(rows.every((r) => r.status === 'confirmed')).toBe(true);
      const [lastReceipt] = await db
        .select()
        .from(chainReceipts)
        .orderBy(desc(chainReceipts.id))
        .limit(1);

      // Nothing lost, nothing twice: the contract's counts equal the confirmed rows.
      const head = await wasmdSmartQuery<HeadResponse>(chain.contractAddress, { head: {} });
      const kinds = (k: string) => rows.filter((r) => r.kind === k).length;
      expect(head).toEqual({
        head: lastReceipt!.headHash,
        consents: kinds('consent'),
        anchors: kinds('audit_anchor'),
        grants: kinds('grant'),
      });
      expect(status.headHash).toBe(head.head);

      // The patient's latest decision per scope, as the API queued it, is what wasmd holds.
      const consentRows = rows.filter((r) => r.kind === 'consent');
      const latest = new Map<string, (typeof consentRows)[number]['item']>();
      for (const row of consentRows) {
        const item = row.item as { subject: string; scope: string; version: number };
        const key = `${item.subject}/${item.scope}`;
        const seen = latest.get(key) as { version: number } | undefined;
        if (!seen || seen.version < item.version) latest.set(key, row.item);
      }
      const changedRows = await db
        .select()
        .from(chainOutbox)
        .where(and(eq(chainOutbox.kind, 'consent'), inArray(chainOutbox.status, ['confirmed'])))
        .orderBy(desc(chainOutbox.id))
        .limit(1);
      const patientSubject = (changedRows[0]!.item as { subject: string }).subject;
      const patientLatest = [...latest.values()].filter(
        (i) => (i as { subject: string }).subject === patientSubject,
      ) as ConsentRecord[];
      expect(patientLatest.length).toBeGreaterThanOrEqual(7);
      for (const item of patientLatest) {
        const onChain = await wasmdSmartQuery<ConsentRecord | null>(chain.contractAddress, {
          consent: { subject: item.subject, scope: item.scope },
        });
        expect(onChain).toMatchObject({
          event_id: item.event_id,
          decision: item.decision,
          version: item.version,
          evidence: item.evidence,
        });
      }
      expect(
        await wasmdSmartQuery<ConsentRecord | null>(chain.contractAddress, {
          consent: { subject: patientSubject, scope: 'discovery' },
        }),
      ).toMatchObject({ decision: 'deny', version: 2 });

      // Grant roots.
      const grant = await wasmdSmartQuery<GrantRecord | null>(chain.contractAddress, {
        grant: { grant_id: 'grant-api-wasmd' },
      });
      expect(grant).toMatchObject({ cohort_root: 'c'.repeat(64), study_id: 'study-api-wasmd' });

      // Every audit anchor: the sealed batches in the database are the anchors wasmd returns.
      const batches = await db.select().from(auditBatches).orderBy(asc(auditBatches.batch));
      expect(batches.length).toBeGreaterThan(0);
      const anchors: AnchorsResponse['anchors'] = [];
      for (;;) {
        const page = await wasmdSmartQuery<AnchorsResponse>(chain.contractAddress, {
          anchors: {
            writer: chain.ledger.sender,
            start_after: anchors.at(-1)?.batch ?? 0,
            limit: 100,
          },
        });
        anchors.push(...page.anchors);
        if (page.anchors.length < 100) break;
      }
      expect(
        anchors.map((a) => [a.writer, a.batch, a.merkle_root, a.first_seq, a.last_seq, a.count]),
      ).toEqual(
        batches.map((b) => [
          chain.ledger.sender,
          b.batch,
          b.merkleRoot,
          b.firstSeq,
          b.lastSeq,
          b.count,
        ]),
      );
      // And the verifier, reading the anchors from the chain, agrees.
      expect(await verifyAnchors(db, chain.ledger)).toMatchObject({
        ok: true,
        anchoredBatches: batches.length,
        pendingBatches: 0,
      });
    });
  });
});

interface RelayState {
  kind: string | null;
  pending: number;
  failed: number;
  confirmed: number;
  headHash: string | null;
  chainError: string | null;
  relayError: string | null;
  unanchoredEvents: number;
}

/** Polls chainStatus until the outbox is empty and every audit event is anchored. */
async function waitUntilRelayed(url: string, token: string): Promise<RelayState> {
  let last: RelayState | undefined;
  for (let i = 0; i < 600; i += 1) {
    last = (
      await graphqlCall<{ chainStatus: RelayState }>(
        url,
        `{ chainStatus { kind pending failed confirmed headHash chainError relayError unanchoredEvents } }`,
        {},
        token,
      )
    ).chainStatus;
    if (last.pending === 0 && last.confirmed > 0 && last.unanchoredEvents === 0) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the outbox did not drain: ${JSON.stringify(last)}`);
}
