import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { useTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { GENESIS_HASH, eventHash } from './audit-hash.js';
import { appendAuditEvent, appendAuditEvents } from './audit.service.js';
import { verifyAuditChain } from './audit-verify.js';
import type { AuditAction } from './audit-actions.js';

describe(`audit trail on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.dispose());

  const append = (action: AuditAction, payload: Record<string, unknown> = {}) =>
    db.db.transaction((tx) => appendAuditEvent(tx, systemActor('test'), { action, payload }));

  it('chains each event to the previous one: hash = SHA-256(prev_hash ‖ canonical event)', async () => {
    const first = await append('test.first', { b: 2, a: 1 });
    const second = await append('test.second');
    expect(second.seq).toBe(first.seq + 1);
    const rows = await db.db.query.auditEvents.findMany({ orderBy: (e, { asc }) => [asc(e.seq)] });
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[0]!.payload).toBe('{"a":1,"b":2}');
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(eventHash(rows[0]!.prevHash, rows[0]!)).toBe(rows[0]!.hash);
  });

  it('an event rolls back with the change it records', async () => {
    const before = (await verifyAuditChain(db.db)).checkedEvents;
    await expect(
      db.db.transaction(async (tx) => {
        await appendAuditEvent(tx, null, { action: 'test.rolled_back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await verifyAuditChain(db.db)).checkedEvents).toBe(before);
  });

  it('concurrent appends keep one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => append('test.concurrent', { i })));
    const result = await verifyAuditChain(db.db);
    expect(result.ok).toBe(true);
  });

  it('a bulk append continues the same chain, interleaved with single appends', async () => {
    await append('test.before_bulk');
    await db.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        systemActor('test'),
        Array.from({ length: 2_500 }, (_, i) => ({ action: 'test.bulk', payload: { i } })),
      ),
    );
    await append('test.after_bulk');
    const result = await verifyAuditChain(db.db);
    expect(result.ok).toBe(true);
    const [row] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from audit_events where action = 'test.bulk'`,
    );
    expect(row!.n).toBe(2_500);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    await expect(db.exec(`update audit_events set action = 'x' where seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.exec(`delete from audit_events where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.exec(`truncate audit_events`)).rejects.toThrow(/append-only/);
  });

  it('verify names the first altered event, even when someone with superuser rights bypassed the trigger', async () => {
    for (let i = 0; i < 5; i += 1) await append('test.more', { i });
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
    const [target] = await queryRows<{ seq: number }>(
      db.db,
      sql`select seq::int as seq from audit_events order by seq desc offset 2 limit 1`,
    );
    await db.exec(`
      alter table audit_events disable trigger audit_events_no_update_or_delete;
      update audit_events set payload = '{"i":999}' where seq = ${target!.seq};
      alter table audit_events enable trigger audit_events_no_update_or_delete;
    `);
    const result = await verifyAuditChain(db.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({
      seq: target!.seq,
      reason: 'content does not match its hash (altered)',
    });
    expect(result.checkedEvents).toBe(target!.seq - 1);
  });
});

describe(`audit trail through the API on ${TEST_DRIVER}`, () => {
  const fx = useTestApi();

  it('a board member reads the trail (newest first, filtered) and the read is itself audited', async () => {
    const board = await makeUser(fx.db.db, 'ethics_board');
    const token = await loginAs(fx.gql, board);
    const res = await fx.gql<{ auditEvents: { seq: number; action: string; actorId: string }[] }>(
      `query($f: AuditFilter) { auditEvents(filter: $f) { seq action actorId } }`,
      { f: { action: 'auth.login', limit: 10 } },
      { token },
    );
    expect(res.data?.auditEvents).toEqual([
      expect.objectContaining({ action: 'auth.login', actorId: board.id }),
    ]);
    const latest = await fx.gql<{ auditEvents: { action: string; payload: string }[] }>(
      `{ auditEvents(filter: { limit: 1 }) { action payload } }`,
      {},
      { token },
    );
    expect(latest.data?.auditEvents[0]?.action).toBe('audit.read');
    expect(JSON.parse(latest.data!.auditEvents[0]!.payload)).toMatchObject({
      filter: { action: 'auth.login' },
      returned: 1,
    });
  });

  it('verifyAuditTrail reports an intact chain and records that it ran', async () => {
    const token = await loginAs(fx.gql, await makeUser(fx.db.db, 'admin'));
    const res = await fx.gql<{
      verifyAuditTrail: { ok: boolean; checkedEvents: number; firstBroken: null };
    }>(`mutation { verifyAuditTrail { ok checkedEvents firstBroken { seq } } }`, {}, { token });
    expect(res.data?.verifyAuditTrail).toMatchObject({ ok: true, firstBroken: null });
    expect(res.data!.verifyAuditTrail.checkedEvents).toBeGreaterThan(1);
  });
});
