import { asc } from 'drizzle-orm';
import { createAppServices } from '../app/app-services.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { createTestApi, loginAs, makeUser, testConfig } from './test-api.js';
import type { TestLedger } from './real-test-chain.js';
import { connectionOf } from './test-chain.js';
import { useDatabaseAndLedger } from './database-and-ledger.js';
import { TEST_DRIVER } from './test-database.js';
import { systemActor } from '../modules/actors/actor.js';
import { appendAuditEvent } from '../modules/audit/audit.service.js';
import { auditEvents } from '../modules/audit/audit.tables.js';
import { eventHash } from '../modules/audit/audit-hash.js';
import { verifyAuditChain } from '../modules/audit/audit-verify.js';
import { verifyAnchors } from '../modules/chain/anchor-verify.js';
import { sealAuditBatches } from '../modules/chain/audit-batcher.js';
import { auditBatches } from '../modules/chain/chain.tables.js';
import { ChainWorker } from '../modules/chain/chain-worker.js';
import { merkleRoot } from '../modules/chain/merkle.js';

/**
 * Audit anchoring and its verification, written against a TestLedger so the same tests run on the
 * embedded chain (always) and on the wasmd localnet (`*.real-chain.test.ts`).
 */
export function defineAnchoringSuite(label: string, open: () => Promise<TestLedger>): void {
  describe(`audit anchoring on the ${label} (${TEST_DRIVER})`, () => {
    const fx = useDatabaseAndLedger(open);

    const appendMany = (n: number, tag: string) =>
      fx.db.db.transaction(async (tx) => {
        for (let i = 0; i < n; i += 1)
          await appendAuditEvent(tx, systemActor('test'), {
            action: `test.${tag}`,
            payload: { i },
          });
      });

    it('seals full batches at once and a partial batch only after it waited', async () => {
      await appendMany(25, 'a');
      expect(await sealAuditBatches(fx.db.db, { maxEvents: 10, maxWaitMs: 60_000 })).toBe(2);
      expect(await sealAuditBatches(fx.db.db, { maxEvents: 10, maxWaitMs: 60_000 })).toBe(0);
      expect(await sealAuditBatches(fx.db.db, { maxEvents: 10, maxWaitMs: 0 })).toBe(1);
      const batches = await fx.db.db.select().from(auditBatches).orderBy(asc(auditBatches.batch));
      expect(batches.map((b) => [b.batch, b.firstSeq, b.lastSeq, b.count])).toEqual([
        [1, 1, 10, 10],
        [2, 11, 20, 10],
        [3, 21, 25, 5],
      ]);
      const events = await fx.db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      expect(batches[0]!.merkleRoot).toBe(merkleRoot(events.slice(0, 10).map((e) => e.hash)));
    });

    it('anchors every batch on chain; verification recomputes each root and finds it there', async () => {
      const worker = new ChainWorker(fx.db.db, fx.chain.ledger, createLogger('silent'), {
        maxEvents: 10,
        maxWaitMs: 0,
      });
      const r = await worker.runOnce();
      expect(r.failed).toBe(0);
      expect((await fx.chain.ledger.head()).anchors).toBe(3);
      expect(await fx.chain.ledger.anchor(fx.chain.ledger.sender, 2)).toMatchObject({
        batch: 2,
        first_seq: 11,
        last_seq: 20,
        count: 10,
      });
      expect(await verifyAnchors(fx.db.db, fx.chain.ledger)).toMatchObject({
        ok: true,
        anchoredBatches: 3,
        pendingBatches: 0,
        unsealedEvents: 0,
        chainLatest: { batch: 3, firstSeq: 21, lastSeq: 25 },
        databaseLatest: { batch: 3, firstSeq: 21, lastSeq: 25 },
        firstMismatch: null,
      });
    });

    it('a log rewritten from one event on, with every later hash recomputed, passes the hash chain but not the anchors', async () => {
      const events = await fx.db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
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
      await fx.db.exec(statements.join('\n'));
      expect((await verifyAuditChain(fx.db.db)).ok).toBe(true);
      const result = await verifyAnchors(fx.db.db, fx.chain.ledger);
      expect(result.ok).toBe(false);
      expect(result.firstMismatch).toEqual({
        batch: 2,
        reason: 'events no longer match the sealed Merkle root',
      });
    });

    it('chainStatus shows the receipts, the last anchored batch and the lag to admins and boards', async () => {
      const connection = connectionOf(fx.chain);
      const config = testConfig();
      const gql = createTestApi(
        fx.db.db,
        config,
        createAppServices(fx.db.db, config, { chain: connection }),
      );
      const token = await loginAs(gql, await makeUser(fx.db.db, 'ethics_board'));
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
        kind: fx.chain.kind,
        anchorsOnChain: 3,
        pending: 0,
        confirmed: 3,
        lagSeconds: 0,
      });
      expect(res.data?.chainStatus.lastAnchoredBatch).toMatchObject({ batch: 3, lastSeq: 25 });
      expect(res.data?.chainStatus.recentReceipts[0]?.txHash).toBe(
        res.data?.chainStatus.lastAnchoredBatch.txHash,
      );
      const researcher = await loginAs(gql, await makeUser(fx.db.db, 'researcher'));
      const denied = await gql(`{ chainStatus { pending } }`, {}, { token: researcher });
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
}
