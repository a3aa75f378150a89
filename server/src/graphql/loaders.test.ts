import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { chainOutbox, chainReceipts } from '../modules/chain/chain.tables.js';
import { makeUser } from '../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import type { GraphQLContext } from './context.js';
import { loadFound, loaders } from './loaders.js';

describe(`per-request loaders (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.dispose());

  /** A context whose database counts the queries started on it. */
  function countingContext(): { ctx: GraphQLContext; queries: () => number } {
    let selects = 0;
    const counted = new Proxy(db.db, {
      get(target, property, receiver) {
        if (property === 'select') selects += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    }) as Database;
    return { ctx: { db: counted } as GraphQLContext, queries: () => selects };
  }

  it('answers rows resolved one per field with one query, in key order, null when absent', async () => {
    const [a, b] = [await makeUser(db.db, 'researcher'), await makeUser(db.db, 'ethics_board')];
    const { ctx, queries } = countingContext();
    const missing = randomUUID();
    const profiles = await Promise.all(
      [b.id, missing, a.id].map((id) => loaders(ctx).userProfile.load(id)),
    );
    expect(profiles.map((p) => p?.displayName ?? null)).toEqual([
      b.displayName,
      null,
      a.displayName,
    ]);
    expect(queries()).toBe(1);
    // Cached for the rest of the request, and loadFound skips what is absent.
    expect(await loadFound(loaders(ctx).userProfile, [a.id, missing])).toHaveLength(1);
    expect(queries()).toBe(1);
  });

  it('keeps one set of loaders per request: another request reads afresh', async () => {
    const user = await makeUser(db.db, 'researcher');
    const first = countingContext();
    const second = countingContext();
    await loaders(first.ctx).userProfile.load(user.id);
    expect(loaders(first.ctx)).toBe(loaders(first.ctx));
    expect(loaders(second.ctx)).not.toBe(loaders(first.ctx));
    await loaders(second.ctx).userProfile.load(user.id);
    expect(second.queries()).toBe(1);
  });

  it('finds confirmed chain records by outbox event, and none for pending work', async () => {
    const [receipt] = await db.db
      .insert(chainReceipts)
      .values({
        chainId: 'test-chain',
        txHash: 'AB12',
        height: 42,
        blockTime: '2026-01-01T00:00:00Z',
        digest: 'd',
        headHash: 'h',
        items: 1,
      })
      .returning();
    const [confirmed, pending] = [`grant:${randomUUID()}`, `grant:${randomUUID()}`];
    await db.db.insert(chainOutbox).values([
      { kind: 'grant', eventId: confirmed, item: {}, status: 'confirmed', receiptId: receipt!.id },
      { kind: 'grant', eventId: pending, item: {} },
    ]);
    const { ctx, queries } = countingContext();
    const records = await Promise.all(
      [pending, confirmed].map((id) => loaders(ctx).chainRecord.load(id)),
    );
    expect(records).toEqual([null, { eventId: confirmed, txHash: 'AB12', height: 42 }]);
    expect(queries()).toBe(1);
  });
});
