import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { anchorRoute } from './anchor.route.js';
import { auditBatches } from './chain.tables.js';
import { ChainWorker } from './chain-worker.js';

describe(`the read-only anchor route serves the contract's own state (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let route: ReturnType<typeof anchorRoute>;
  const get = (path: string, method = 'GET') =>
    route.handler(new Request(`http://api.test${path}`, { method }), {} as never);

  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
    route = anchorRoute(() => ({
      kind: 'embedded',
      contractAddress: embedded.contractAddress,
      writer: embedded.ledger.sender,
      anchor: (batch) => embedded.ledger.anchor(embedded.ledger.sender, batch),
    }));
    await db.db.transaction((tx) =>
      appendAuditEvent(tx, systemActor('test'), { action: 'test.x' }),
    );
    const worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 1_000,
      maxWaitMs: 0,
    });
    await worker.runOnce();
  });
  afterAll(async () => {
    await embedded.chain.close();
    await db.dispose();
  });

  it('answers the anchor query with the root the contract holds', async () => {
    const [batch] = await db.db.select().from(auditBatches);
    const res = await get(`/chain/anchors/${batch!.batch}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { anchor: { merkle_root: string }; query: unknown };
    expect(body.query).toEqual({
      anchor: { writer: embedded.ledger.sender, batch: batch!.batch },
    });
    expect(body.anchor.merkle_root).toBe(batch!.merkleRoot);
    expect(body.anchor).toEqual(await embedded.ledger.anchor(embedded.ledger.sender, batch!.batch));
  });

  it('says 404 for a batch the chain does not hold, 400 for nonsense, 405 for writes', async () => {
    expect((await get('/chain/anchors/999')).status).toBe(404);
    expect((await get('/chain/anchors/0')).status).toBe(400);
    expect((await get('/chain/anchors/1;drop')).status).toBe(400);
    expect((await get('/chain/anchors/1', 'POST')).status).toBe(405);
  });
});
