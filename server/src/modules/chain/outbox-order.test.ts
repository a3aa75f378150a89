import type { EmbeddedLedger } from '@consentome/contracts-client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { SwitchableLedger, openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { verifyAnchors } from './anchor-verify.js';
import { sealAuditBatches } from './audit-batcher.js';
import { chainOutbox } from './chain.tables.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * Found by the load suite's chain outage (`npm run test:load`): rows queued while the chain was
 * down were ready at once, while the row that failed first was backing off, so audit batch N+1
 * reached the contract before batch N, was refused for good, and anchoring stopped.
 */
describe(`outbox order across a chain outage (${TEST_DRIVER})`, () => {
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

  const sealOne = async (tag: string) => {
    await db.db.transaction((tx) =>
      appendAuditEvent(tx, systemActor('test'), { action: `test.${tag}`, payload: {} }),
    );
    expect(await sealAuditBatches(db.db, { maxEvents: 1_000, maxWaitMs: 0 })).toBe(1);
  };

  it('a batch sealed during the outage never overtakes the one backing off', async () => {
    const ledger = new SwitchableLedger(embedded.ledger);
    const relay = new OutboxRelay(db.db, ledger, createLogger('silent'), {
      claimLimit: 100,
      claimMs: 30_000,
      backoffBaseMs: 300,
      backoffMaxMs: 300,
    });
    await sealOne('first');
    ledger.down = true;
    expect(await relay.flush()).toMatchObject({ claimed: 1, deferred: 1 });
    await sealOne('during-outage');
    ledger.down = false;
    // Batch 1 is still backing off; batch 2 is ready but must wait behind it.
    expect(await relay.flush()).toMatchObject({ claimed: 0, failed: 0 });
    await new Promise((r) => setTimeout(r, 400));
    expect(await relay.drain()).toMatchObject({ confirmed: 2, failed: 0 });
    expect(await db.db.select().from(chainOutbox).where(eq(chainOutbox.status, 'failed'))).toEqual(
      [],
    );
    expect((await embedded.ledger.head()).anchors).toBe(2);
    expect((await verifyAnchors(db.db, embedded.ledger)).ok).toBe(true);
  });
});
