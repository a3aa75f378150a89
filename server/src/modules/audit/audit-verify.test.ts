import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { appendAuditEvents } from './audit.service.js';
import { verifyAuditChain, type AuditVerification } from './audit-verify.js';

/**
 * The parallel verifier against the sequential one on the same log: pages of 30 events split
 * into three ranges of 10 (seq 1–10, 11–20, 21–30 on three workers, then 31–40, …), so a
 * tampered row can be put in the middle of a range, on the edge between two, or on a page's
 * first row, and the first broken event must be named exactly as the one-thread check names it.
 */
describe(`audit verify in worker threads on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  const EVENTS = 100;
  const parallel = () => verifyAuditChain(db.db, { workers: 3, pageEvents: 30 });
  const oneThread = () => verifyAuditChain(db.db, { workers: 0, pageEvents: 1_000_000 });
  const hashOf = async (seq: number) =>
    (
      await queryRows<{ hash: string }>(
        db.db,
        sql`select hash from audit_events where seq = ${seq}`,
      )
    )[0]!.hash;

  /**
   * Changes rows as a superuser could (the append-only trigger off), verifies in both ways (they
   * must agree), and puts the rows back as they were. `set` maps seq to an UPDATE's SET clause, or
   * to null to delete the row.
   */
  async function tampered(set: Record<number, string | null>): Promise<AuditVerification> {
    const seqs = Object.keys(set).join(', ');
    const bypass = (text: string) =>
      db.exec(`
        alter table audit_events disable trigger audit_events_no_update_or_delete;
        ${text};
        alter table audit_events enable trigger audit_events_no_update_or_delete;
      `);
    await db.exec(
      `drop table if exists saved_events; create table saved_events as select * from audit_events where seq in (${seqs})`,
    );
    await bypass(
      Object.entries(set)
        .map(([seq, clause]) =>
          clause === null
            ? `delete from audit_events where seq = ${seq}`
            : `update audit_events set ${clause} where seq = ${seq}`,
        )
        .join(';\n'),
    );
    try {
      const result = await parallel();
      expect(result).toEqual(await oneThread());
      return result;
    } finally {
      await bypass(
        `delete from audit_events where seq in (${seqs}); insert into audit_events select * from saved_events`,
      );
      expect((await parallel()).ok).toBe(true);
    }
  }

  /** The failure the sequential check reports for the first bad event `seq`. */
  const brokenAt = async (seq: number, reason: string) => ({
    ok: false,
    checkedEvents: seq - 1,
    lastSeq: seq - 1,
    headHash: await hashOf(seq - 1),
    firstBroken: { seq, reason },
  });
  const ALTERED = 'content does not match its hash (altered)';
  const UNLINKED = 'prev_hash does not match the previous event';

  beforeAll(async () => {
    db = await createTestDatabase();
    const [count] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from audit_events`,
    );
    await db.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        systemActor('test'),
        Array.from({ length: EVENTS - count!.n }, (_, i) => ({
          action: 'test.verify',
          targetId: `t\\${i}\t"x"\n`,
          payload: { i, text: 'tab\t newline\n backslash \\ é' },
        })),
      ),
    );
  });
  afterAll(() => db.dispose());

  it('passes an intact log with the same result as one thread, across pages and ranges', async () => {
    const result = await parallel();
    expect(result).toEqual({
      ok: true,
      checkedEvents: EVENTS,
      lastSeq: EVENTS,
      headHash: await hashOf(EVENTS),
      firstBroken: null,
    });
    expect(await oneThread()).toEqual(result);
  });

  it('names an altered event in the middle of a middle worker’s range', async () => {
    expect(await tampered({ 45: `payload = '{"i":999}'` })).toEqual(await brokenAt(45, ALTERED));
  });

  it('names an event on the edge between two workers’ ranges: altered, or not linked', async () => {
    expect(await tampered({ 41: `payload = '{"i":999}'` })).toEqual(await brokenAt(41, ALTERED));
    expect(await tampered({ 40: `payload = '{"i":999}'` })).toEqual(await brokenAt(40, ALTERED));
    expect(await tampered({ 21: `prev_hash = '${'ab'.repeat(32)}'` })).toEqual(
      await brokenAt(21, UNLINKED),
    );
    // A range's last stored hash rewritten: that row is named, not the next range's first link.
    expect(await tampered({ 20: `hash = '${'cd'.repeat(32)}'` })).toEqual(
      await brokenAt(20, ALTERED),
    );
  });

  it('names a gap on a page’s first row and on a range edge', async () => {
    expect(await tampered({ 31: null })).toEqual({
      ok: false,
      checkedEvents: 30,
      lastSeq: 30,
      headHash: await hashOf(30),
      firstBroken: { seq: 32, reason: 'sequence gap: expected 31, found 32' },
    });
    expect(await tampered({ 11: null, 12: null })).toMatchObject({
      checkedEvents: 10,
      lastSeq: 10,
      firstBroken: { seq: 13, reason: 'sequence gap: expected 11, found 13' },
    });
  });

  it('names the first bad event when later ranges and pages are bad too', async () => {
    const result = await tampered({
      95: `payload = '{"i":999}'`,
      72: `prev_hash = '${'ab'.repeat(32)}'`,
      25: `payload = '{"i":999}'`,
      17: `action = 'test.other'`,
    });
    expect(result).toEqual(await brokenAt(17, ALTERED));
  });

  it('decides a spliced-hash mismatch by the full canonical form, as before', async () => {
    // Equal JSON written differently: the event still verifies (its canonical form is unchanged).
    const [row] = await queryRows<{ payload: string }>(
      db.db,
      sql`select payload from audit_events where seq = 55`,
    );
    const spaced = JSON.stringify(JSON.parse(row!.payload), null, 2).replaceAll("'", "''");
    expect(await tampered({ 55: `payload = '${spaced}'` })).toMatchObject({ ok: true });
    expect(await tampered({ 55: `payload = '{"i":'` })).toEqual(
      await brokenAt(55, 'payload is not valid JSON'),
    );
  });
});
