import { and, asc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { chainOutbox, chainReceipts } from '../modules/chain/chain.tables.js';
import { OutboxRelay } from '../modules/chain/outbox-relay.js';
import { enqueueConsentRecord } from '../modules/chain/outbox.service.js';
import { chainSubject } from '../modules/chain/subject-pseudonym.js';
import type { TestLedger } from './real-test-chain.js';
import { SwitchableLedger, enqueueConsentWorkload } from './test-chain.js';
import { useDatabaseAndLedger } from './database-and-ledger.js';
import { TEST_DRIVER } from './test-database.js';

const quiet = createLogger('silent');

/**
 * The relay's tests, written against a TestLedger so the same tests run on the embedded chain
 * (always) and on the wasmd localnet (`*.real-chain.test.ts`, when CHAIN_RPC_URL is set).
 */
export function defineRelaySuite(label: string, open: () => Promise<TestLedger>): void {
  describe(`outbox relay onto the ${label} (${TEST_DRIVER})`, () => {
    const fx = useDatabaseAndLedger(open);

    it('sends committed consent decisions in batches of at most 500 and records each receipt', async () => {
      const { eventIds } = await enqueueConsentWorkload(fx.db.db, 600, 2, 'batch');
      const relay = new OutboxRelay(fx.db.db, fx.chain.ledger, quiet);
      const result = await relay.drain();
      expect(result).toMatchObject({ confirmed: 1200, failed: 0 });
      expect(result.transactions).toBe(3);
      const head = await fx.chain.ledger.head();
      expect(head.consents).toBe(1200);
      const receipts = await fx.db.db.select().from(chainReceipts).orderBy(asc(chainReceipts.id));
      expect(receipts.map((r) => r.items)).toEqual([500, 500, 200]);
      expect(receipts[2]!.headHash).toBe(head.head);
      // Both adapters report upper-case hex tx hashes and strictly increasing heights.
      for (const r of receipts) expect(r.txHash).toMatch(/^[0-9A-F]{64}$/);
      const heights = receipts.map((r) => r.height);
      expect(heights).toEqual([...new Set(heights)].sort((a, b) => a - b));
      expect(receipts.every((r) => r.chainId === receipts[0]!.chainId)).toBe(true);
      const rows = await fx.db.db
        .select()
        .from(chainOutbox)
        .where(eq(chainOutbox.status, 'confirmed'));
      expect(rows.length).toBe(eventIds.length);
    });

    it('a relay killed between broadcast and receipt re-sends, and the chain stores nothing twice', async () => {
      const { eventIds } = await enqueueConsentWorkload(fx.db.db, 50, 1, 'crash');
      // Broadcast succeeds, but the process "dies" before recording the receipt.
      const crashing = {
        ...fx.chain.ledger,
        recordConsents: async (items: Parameters<typeof fx.chain.ledger.recordConsents>[0]) => {
          await fx.chain.ledger.recordConsents(items);
          throw new Error('killed after broadcast');
        },
        anchor: fx.chain.ledger.anchor.bind(fx.chain.ledger),
        head: fx.chain.ledger.head.bind(fx.chain.ledger),
        height: fx.chain.ledger.height.bind(fx.chain.ledger),
        getChainId: fx.chain.ledger.getChainId.bind(fx.chain.ledger),
        recordGrants: fx.chain.ledger.recordGrants.bind(fx.chain.ledger),
        anchorAudit: fx.chain.ledger.anchorAudit.bind(fx.chain.ledger),
        changePasskey: fx.chain.ledger.changePasskey.bind(fx.chain.ledger),
      };
      const before = await fx.chain.ledger.head();
      await new OutboxRelay(fx.db.db, crashing, quiet).flush();
      const afterCrash = await fx.chain.ledger.head();
      expect(afterCrash.consents).toBe(before.consents + 50);
      const pending = await fx.db.db
        .select()
        .from(chainOutbox)
        .where(and(eq(chainOutbox.status, 'pending'), inArray(chainOutbox.eventId, eventIds)));
      expect(pending.map((r) => r.eventId).sort()).toEqual([...eventIds].sort());

      // Another relay (claims expired, backoff elapsed) sends the same items again.
      await fx.db.exec(
        `update chain_outbox set claimed_until = null, next_attempt_at = now() where status = 'pending'`,
      );
      const result = await new OutboxRelay(fx.db.db, fx.chain.ledger, quiet).drain();
      expect(result.confirmed).toBe(50);
      const afterReplay = await fx.chain.ledger.head();
      expect(afterReplay).toEqual(afterCrash);
    });

    it('with the chain down the outbox grows and loses nothing; it drains in order when the chain is back', async () => {
      const ledger = new SwitchableLedger(fx.chain.ledger);
      ledger.down = true;
      const relay = new OutboxRelay(fx.db.db, ledger, quiet, {
        claimLimit: 2_000,
        claimMs: 30_000,
        backoffBaseMs: 1,
        backoffMaxMs: 5,
      });
      const first = await enqueueConsentWorkload(fx.db.db, 5, 3, 'down-a');
      await relay.flush();
      const second = await enqueueConsentWorkload(fx.db.db, 5, 3, 'down-b');
      await new Promise((r) => setTimeout(r, 20));
      await relay.flush();
      const ours = [...first.eventIds, ...second.eventIds];
      const pending = await fx.db.db
        .select()
        .from(chainOutbox)
        .where(and(eq(chainOutbox.status, 'pending'), inArray(chainOutbox.eventId, ours)))
        .orderBy(asc(chainOutbox.id));
      expect(pending.map((r) => r.eventId)).toEqual([...first.eventIds, ...second.eventIds]);
      expect(pending.every((r) => r.lastError?.includes('ECONNREFUSED'))).toBe(true);

      ledger.down = false;
      await new Promise((r) => setTimeout(r, 20));
      const result = await relay.drain();
      expect(result.confirmed).toBe(30);
      // Versions 1..3 of each subject reached the chain in order: the contract refuses a version
      // that does not increase, so out-of-order delivery would have failed items.
      expect(result.failed).toBe(0);
      const subject = await fx.db.db.transaction((tx) =>
        chainSubject(tx, first.participantIds[0]!),
      );
      const history = await fx.chain.ledger.consentHistory(subject);
      expect(history.consents.map((c) => c.version)).toEqual([1, 2, 3]);
    });

    it('an item the contract refuses is isolated and marked failed; the rest of its message lands', async () => {
      const { participantIds } = await enqueueConsentWorkload(fx.db.db, 3, 1, 'refuse');
      // A second decision for the first participant that does not increase the version.
      await fx.db.db.transaction(async (tx) => {
        const subject = await chainSubject(tx, participantIds[0]!);
        await enqueueConsentRecord(tx, {
          event_id: 'consent:refuse:stale',
          subject,
          scope: 'purpose:HMB',
          decision: 'deny',
          version: 1,
          evidence: 'a'.repeat(64),
          time: '1790000100',
        });
      });
      await enqueueConsentWorkload(fx.db.db, 2, 1, 'refuse-after');
      const result = await new OutboxRelay(fx.db.db, fx.chain.ledger, quiet).drain();
      expect(result.failed).toBe(1);
      expect(result.confirmed).toBe(5);
      const [failed] = await fx.db.db
        .select()
        .from(chainOutbox)
        .where(eq(chainOutbox.status, 'failed'));
      expect(failed?.eventId).toBe('consent:refuse:stale');
      expect(failed?.lastError).toMatch(/version/i);
    });

    it('a write that rolls back takes its outbox row with it', async () => {
      const count = async () =>
        (await fx.db.db.select({ id: chainOutbox.id }).from(chainOutbox)).length;
      const before = await count();
      await expect(
        fx.db.db.transaction(async (tx) => {
          await enqueueConsentRecord(tx, {
            event_id: 'consent:rolled-back',
            subject: 'b'.repeat(64),
            scope: 'purpose:GRU',
            decision: 'permit',
            version: 1,
            evidence: 'c'.repeat(64),
            time: '1790000000',
          });
          throw new Error('the consent change failed');
        }),
      ).rejects.toThrow();
      expect(await count()).toBe(before);
    });

    it('a wake sends what was queued at once, without waiting for the period; a stopped relay sends nothing', async () => {
      const statusOf = async (eventIds: string[]) =>
        (
          await fx.db.db
            .select({ status: chainOutbox.status })
            .from(chainOutbox)
            .where(inArray(chainOutbox.eventId, eventIds))
        ).map((r) => r.status);
      const relay = new OutboxRelay(fx.db.db, fx.chain.ledger, quiet);
      const idle = await enqueueConsentWorkload(fx.db.db, 2, 1, 'wake-idle');
      await relay.wake();
      expect(await statusOf(idle.eventIds)).toEqual(['pending', 'pending']);
      await relay.drain();
      relay.start(3_600_000); // a period no test waits for
      try {
        await relay.wake(); // a flush that began after the start has run
        const { eventIds } = await enqueueConsentWorkload(fx.db.db, 3, 1, 'wake');
        expect(await statusOf(eventIds)).toEqual(['pending', 'pending', 'pending']);
        await relay.wake();
        expect(await statusOf(eventIds)).toEqual(['confirmed', 'confirmed', 'confirmed']);
      } finally {
        await relay.stop();
      }
    });
  });
}
