import { asc, desc } from 'drizzle-orm';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDatabaseCommand } from '../../cli/database-commands.js';
import { createLogger } from '../../lib/logger.js';
import { embeddedConnection, openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { eventHash } from '../audit/audit-hash.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { verifyAnchors } from './anchor-verify.js';
import { sealAuditBatches } from './audit-batcher.js';
import { auditBatches } from './chain.tables.js';
import { ChainWorker } from './chain-worker.js';
import { merkleRoot } from './merkle.js';
import { temporaryFileStore } from '../../lib/file-store.js';

/**
 * The attacks of issue #11 finding 1: someone with write access to the database (triggers off)
 * rewrites or truncates the audit log and makes the database's own bookkeeping agree. Verification
 * must still fail, because it takes the chain's anchors as the reference.
 */
describe(`audit verify against an attacker with database access (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let worker: ChainWorker;

  beforeEach(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
    worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 10,
      maxWaitMs: 0,
    });
    await appendMany(25, 'before');
    const r = await worker.runOnce();
    expect(r.failed).toBe(0);
    expect((await embedded.ledger.head()).anchors).toBe(3);
  });
  afterEach(async () => {
    await embedded.chain.close();
    await db.dispose();
  });

  const appendMany = (n: number, tag: string) =>
    db.db.transaction(async (tx) => {
      for (let i = 0; i < n; i += 1)
        await appendAuditEvent(tx, systemActor('test'), { action: `test.${tag}`, payload: { i } });
    });

  /** `consentome audit verify`, in-process on this database and chain. */
  async function auditVerify(): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runDatabaseCommand(
      {
        handle: db,
        files: temporaryFileStore(),
        chain: async () => embeddedConnection(embedded),
      },
      { command: 'audit-verify' },
      (l) => lines.push(l),
    );
    return { code, out: lines.join('\n') };
  }

  /** Rewrites event `seq` and recomputes every later hash, with the append-only trigger off. */
  async function forgeFrom(seq: number): Promise<void> {
    const events = await db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    let prev = events[seq - 2]!.hash;
    const sql = ['alter table audit_events disable trigger audit_events_no_update_or_delete;'];
    for (const e of events.slice(seq - 1)) {
      const payload = e.seq === seq ? '{"i":"forged"}' : e.payload;
      const hash = eventHash(prev, { ...e, payload });
      sql.push(
        `update audit_events set payload = '${payload}', prev_hash = '${prev}', hash = '${hash}' where seq = ${e.seq};`,
      );
      prev = hash;
    }
    sql.push('alter table audit_events enable trigger audit_events_no_update_or_delete;');
    await db.exec(sql.join('\n'));
  }

  it('is clean before any attack', async () => {
    const result = await auditVerify();
    expect(result.out).toContain('Anchors verified against the chain: 3 batches.');
    expect(result.code).toBe(0);
  });

  it('no false alarm when the relay seals and anchors a batch while verification runs', async () => {
    await appendMany(10, 'racing');
    const racing = {
      sender: embedded.ledger.sender,
      // Between the chain's count (a one-item page) and its list, a new batch is sealed and
      // anchored.
      anchors: async (writer: string, page: Parameters<typeof embedded.ledger.anchors>[1]) => {
        if (page?.startAfter === undefined && page?.limit !== 1) await worker.runOnce();
        return embedded.ledger.anchors(writer, page);
      },
    };
    const result = await verifyAnchors(db.db, racing);
    expect(result.firstMismatch).toBeNull();
    expect(result.ok).toBe(true);
    expect((await verifyAnchors(db.db, embedded.ledger)).anchoredBatches).toBe(4);
  });

  it('attack A: an event of the last anchored batch rewritten, its root recomputed, its outbox row set to failed', async () => {
    await forgeFrom(23);
    const events = await db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    const forgedRoot = merkleRoot(events.slice(20).map((e) => e.hash));
    await db.exec(`
      update audit_batches set merkle_root = '${forgedRoot}' where batch = 3;
      update chain_outbox set status = 'failed', receipt_id = null where event_id = 'audit-batch:3';
    `);
    // The database now agrees with itself: the hash chain and every root recompute.
    expect((await verifyAuditChain(db.db)).ok).toBe(true);

    const result = await verifyAnchors(db.db, embedded.ledger);
    expect(result.ok).toBe(false);
    expect(result.firstMismatch).toEqual({
      batch: 3,
      reason: 'the Merkle root on chain differs from the database',
    });
    const cli = await auditVerify();
    expect(cli.code).toBe(2);
    expect(cli.out).toContain('batch 3: the Merkle root on chain differs from the database.');
    expect(cli.out).not.toContain('awaiting anchoring');
  });

  it('attack A on a batch not yet anchored: a failed outbox row is reported, not trusted', async () => {
    await appendMany(10, 'late');
    // Sealed but not relayed yet; the attacker rewrites it and marks its anchor failed.
    expect(await sealAuditBatches(db.db, { maxEvents: 10, maxWaitMs: 0 })).toBe(1);
    await forgeFrom(30);
    const events = await db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    await db.exec(`
      update audit_batches set merkle_root = '${merkleRoot(events.slice(25).map((e) => e.hash))}' where batch = 4;
      update chain_outbox set status = 'failed', last_error = 'refused' where event_id = 'audit-batch:4';
    `);
    const result = await verifyAnchors(db.db, embedded.ledger);
    expect(result.ok).toBe(false);
    expect(result.pendingBatches).toBe(0);
    expect(result.firstMismatch).toEqual({ batch: 4, reason: 'cannot be anchored: refused' });
    expect((await auditVerify()).code).toBe(2);
  });

  it('attack B: the newest events deleted with their batch and outbox rows', async () => {
    await db.exec(`
      alter table audit_events disable trigger audit_events_no_update_or_delete;
      delete from audit_events where seq > 20;
      alter table audit_events enable trigger audit_events_no_update_or_delete;
      delete from audit_batches where batch = 3;
      delete from chain_outbox where event_id = 'audit-batch:3';
    `);
    const [last] = await db.db.select().from(auditBatches).orderBy(desc(auditBatches.batch));
    expect(last!.batch).toBe(2);
    expect((await verifyAuditChain(db.db)).ok).toBe(true);

    const result = await verifyAnchors(db.db, embedded.ledger);
    expect(result.ok).toBe(false);
    expect(result.chainLatest).toEqual({ batch: 3, firstSeq: 21, lastSeq: 25 });
    expect(result.databaseLatest).toEqual({ batch: 2, firstSeq: 11, lastSeq: 20 });
    expect(result.problems.map((p) => p.reason)).toEqual([
      'the chain anchors events 21-25 in this batch, but the database has no such batch (deleted?)',
      "the chain's latest batch is 3 (up to event 25), the database's is 2 (up to event 20)",
      'event 25, anchored on chain, is missing',
    ]);
    const cli = await auditVerify();
    expect(cli.code).toBe(2);
    expect(cli.out).toContain(
      'Latest anchored on chain: batch 3 up to event 25; latest sealed in the database: batch 2 up to event 20.',
    );

    // Meanwhile the contract refuses the next batch, and verification keeps saying so.
    await appendMany(5, 'after');
    const r = await worker.runOnce();
    expect(r.failed).toBe(1);
    const after = await verifyAnchors(db.db, embedded.ledger);
    expect(after.ok).toBe(false);
    expect(after.problems.map((p) => p.reason)).toContain(
      'the Merkle root on chain differs from the database',
    );
  });
});
