import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { auditEvents } from './audit.tables.js';
import { appendAuditEvents, type AuditEntry } from './audit.service.js';
import { bulkLoadAuditEvents } from './audit-bulk-load.js';
import { verifyAuditChain } from './audit-verify.js';

/**
 * The benchmarks' bulk loader against the service: the same entries, appended through the
 * service into one fresh database and COPYed by the loader into another, give the same rows,
 * byte for byte, and the loaded log passes the normal verifier.
 */
describe(`the audit bulk loader on ${TEST_DRIVER}`, () => {
  let viaService: TestDatabase;
  let viaLoader: TestDatabase;
  const EVENTS = 250;
  const PER_CALL = 100;
  const actor = systemActor('bench');
  // Text the COPY format must escape (tab, newline, carriage return, backslash), quotes, \N.
  const entry = (i: number): AuditEntry => ({
    action: i % 3 === 0 ? 'data_use.read' : 'cohort.count',
    targetType: i % 3 === 0 ? 'participant' : undefined,
    targetId: i % 3 === 0 ? `P\t${i}\n\\N "q" \r é` : undefined,
    participantId: i % 3 === 0 ? '6f9d2b1a-3c4e-4f5a-8b7c-1d2e3f4a5b6c' : undefined,
    payload: { i, text: 'tab\t nl\n bs \\ \\N 𝄞', nested: { b: [1, null, true], a: '\u0001' } },
  });
  const rowsOf = (db: TestDatabase) =>
    db.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));

  // Two databases to migrate: on a loaded machine that alone can pass the default hook timeout.
  beforeAll(async () => {
    [viaService, viaLoader] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([viaService?.dispose(), viaLoader?.dispose()]);
  });

  it('writes the rows the service writes for the same entries, and they verify', async () => {
    expect(await rowsOf(viaService)).toEqual([]);
    expect(await rowsOf(viaLoader)).toEqual([]);
    for (let done = 0; done < EVENTS; done += PER_CALL) {
      const entries = Array.from({ length: Math.min(PER_CALL, EVENTS - done) }, (_, k) =>
        entry(done + k),
      );
      await viaService.db.transaction((tx) => appendAuditEvents(tx, actor, entries));
    }
    const written = await rowsOf(viaService);
    expect(written).toHaveLength(EVENTS);

    const head = await bulkLoadAuditEvents(viaLoader.db, {
      events: EVENTS,
      entry,
      actor,
      perCall: PER_CALL,
      // Each call's time as the service took it, so that the hashes can be equal.
      occurredAt: (i) => written[i]!.occurredAt,
      perCopy: 200,
    });
    const loaded = await rowsOf(viaLoader);
    expect(loaded).toEqual(written);
    expect(head).toEqual({ seq: EVENTS, hash: written[EVENTS - 1]!.hash });

    const verified = await verifyAuditChain(viaLoader.db, { workers: 2, pageEvents: 60 });
    expect(verified).toEqual({
      ok: true,
      checkedEvents: EVENTS,
      lastSeq: EVENTS,
      headHash: written[EVENTS - 1]!.hash,
      firstBroken: null,
    });
  });
});
