import { asc } from 'drizzle-orm';
import { chainStatus, type EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../accounts/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { eventHash } from '../audit/audit-hash.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { verifyAnchors } from './anchor-verify.js';
import { sealAuditBatches } from './audit-batcher.js';
import { auditBatches } from './chain.tables.js';
import type { ChainConnection } from './chain-connection.js';
import { ChainWorker } from './chain-worker.js';
import { merkleRoot } from './merkle.js';
import { createAppServices } from '../../app/app-services.js';

describe(`audit anchoring on the embedded chain (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
  });
  afterAll(async () => {
    await embedded.chain.close();
    await db.dispose();
  });

  const appendMany = (n: number, tag: string) =>
    db.db.transaction(async (tx) => {
      for (let i = 0; i < n; i += 1)
        await appendAuditEvent(tx, systemActor('test'), { action: `test.${tag}`, payload: { i } });
    });

  it('seals full batches at once and a partial batch only after it waited', async () => {
    await appendMany(25, 'a');
    expect(await sealAuditBatches(db.db, { maxEvents: 10, maxWaitMs: 60_000 })).toBe(2);
    expect(await sealAuditBatches(db.db, { maxEvents: 10, maxWaitMs: 60_000 })).toBe(0);
    expect(await sealAuditBatches(db.db, { maxEvents: 10, maxWaitMs: 0 })).toBe(1);
    const batches = await db.db.select().from(auditBatches).orderBy(asc(auditBatches.batch));
    expect(batches.map((b) => [b.batch, b.firstSeq, b.lastSeq, b.count])).toEqual([
      [1, 1, 10, 10],
      [2, 11, 20, 10],
      [3, 21, 25, 5],
    ]);
    const events = await db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(batches[0]!.merkleRoot).toBe(merkleRoot(events.slice(0, 10).map((e) => e.hash)));
  });

  it('anchors every batch on chain; verification recomputes each root and finds it there', async () => {
    const worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 10,
      maxWaitMs: 0,
    });
    const r = await worker.runOnce();
    expect(r.failed).toBe(0);
    expect((await embedded.ledger.head()).anchors).toBe(3);
    expect(await embedded.ledger.anchor(2)).toMatchObject({
      batch: 2,
      first_seq: 11,
      last_seq: 20,
      count: 10,
    });
    expect(await verifyAnchors(db.db, embedded.ledger)).toEqual({
      ok: true,
      anchoredBatches: 3,
      pendingBatches: 0,
      firstMismatch: null,
    });
  });

  it('a log rewritten from one event on, with every later hash recomputed, passes the hash chain but not the anchors', async () => {
    const events = await db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    // The forger changes event 15 and recomputes every hash after it, so the chain is consistent.
    let prev = events[13]!.hash;
    const statements: string[] = [
      'alter table audit_events disable trigger audit_events_no_update_or_delete;',
    ];
    for (const e of events.slice(14)) {
      const payload = e.seq === 15 ? '{"i":"forged"}' : e.payload;
      const hash = eventHash(prev, { ...e, payload });
      statements.push(
        `update audit_events set payload = '${payload}', prev_hash = '${prev}', hash = '${hash}' where seq = ${e.seq};`,
      );
      prev = hash;
    }
    statements.push('alter table audit_events enable trigger audit_events_no_update_or_delete;');
    await db.exec(statements.join('\n'));
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
    const result = await verifyAnchors(db.db, embedded.ledger);
    expect(result.ok).toBe(false);
    expect(result.firstMismatch).toEqual({
      batch: 2,
      reason: 'events no longer match the sealed Merkle root',
    });
  });

  it('chainStatus shows the receipts, the last anchored batch and the lag to admins and boards', async () => {
    const chain: ChainConnection = {
      kind: 'embedded',
      backend: embedded.chain,
      ledger: embedded.ledger,
      contractAddress: embedded.contractAddress,
      status: () => chainStatus(embedded.chain, embedded.contractAddress),
      close: async () => {},
    };
    const config = testConfig();
    const gql = createTestApi(db.db, config, createAppServices(db.db, config, { chain }));
    const token = await loginAs(gql, await makeUser(db.db, 'ethics_board'));
    const res = await gql<{
      chainStatus: {
        kind: string;
        anchorsOnChain: number;
        pending: number;
        confirmed: number;
        lagSeconds: number;
        lastAnchoredBatch: { batch: number; lastSeq: number; txHash: string };
        recentReceipts: { txHash: string; headHash: string }[];
      };
    }>(
      `{ chainStatus { kind anchorsOnChain pending confirmed lagSeconds lastAnchoredBatch { batch lastSeq txHash } recentReceipts { txHash headHash } } }`,
      {},
      { token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.chainStatus).toMatchObject({
      kind: 'embedded',
      anchorsOnChain: 3,
      pending: 0,
      confirmed: 3,
      lagSeconds: 0,
    });
    expect(res.data?.chainStatus.lastAnchoredBatch).toMatchObject({ batch: 3, lastSeq: 25 });
    expect(res.data?.chainStatus.recentReceipts[0]?.txHash).toBe(
      res.data?.chainStatus.lastAnchoredBatch.txHash,
    );
    const researcher = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const denied = await gql(`{ chainStatus { pending } }`, {}, { token: researcher });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
