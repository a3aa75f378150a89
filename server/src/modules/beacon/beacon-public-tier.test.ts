import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../app/app-services.js';
import { queryRows } from '../../db/query-rows.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture, type CohortFixture } from '../../test/cohort-fixture.js';
import { testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { phenotypeObservations } from '../datasets/ingest/ingest.tables.js';
import { participants } from '../participants/participants.tables.js';
import { sealPublicTallies } from './beacon-public-tally.js';
import { beaconRoute } from './beacon-route.js';
import { beaconPublicQueries } from './beacon.tables.js';

const SETTINGS = { minCellCount: 20, noiseRange: 3, budgetPerDay: 10_000 };
// A fixed minute, so no test straddles a minute boundary.
const T0 = new Date('2026-03-01T10:00:05Z');

/** A Beacon allele query string for a stored `CHROM-POS-REF-ALT` key (Beacon start is 0-based). */
function allele(key: string): string {
  const [chrom, pos, ref, alt] = key.split('-') as [string, string, string, string];
  return `referenceName=${chrom}&start=${Number(pos) - 1}&referenceBases=${ref}&alternateBases=${alt}`;
}

/**
 * The anonymous-Beacon attacks of issue #11 (3, 8): a single carrier's diagnoses through
 * "variant X with MONDO:…", a rare term advertised by /filtering_terms, unlimited anonymous
 * queries each writing an anchored audit event.
 */
describe(`Beacon public tier (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let fx: CohortFixture;
  let services: ReturnType<typeof createAppServices>;
  let singleton = '';
  let common = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await insertCohortFixture(db.db, 800, 13);
    services = createAppServices(db.db, testConfig({ countPrivacy: SETTINGS }));
    const index = await services.counter.index();
    singleton = fx.variantKeys.find((v) => index.count({ variants: [v] }) === 1)!;
    common = fx.variantKeys.find((v) => index.count({ variants: [v] }) >= 100)!;
    expect(singleton).toBeDefined();
    expect(common).toBeDefined();
  });
  afterAll(async () => {
    services.dispose();
    await db.dispose();
  });

  function routeWith(limits = { perMinute: 10_000, perDay: 100_000 }, now = () => T0) {
    return beaconRoute({
      db: db.db,
      counter: services.counter,
      publicLimits: limits,
      addressSettings: { trustedProxies: 1, portalForwardSecret: null },
      now,
    });
  }

  async function get(
    route: ReturnType<typeof beaconRoute>,
    pathAndQuery: string,
    client = '192.0.2.1',
  ) {
    const response = await route.handler(
      new Request(`http://127.0.0.1:4000/api/beacon${pathAndQuery}`, {
        // A client-chosen entry on the left must not matter: the proxy's (right-most) one counts.
        headers: { 'x-forwarded-for': `10.9.9.9, ${client}` },
      }),
      {},
    );
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as {
        responseSummary?: { exists: boolean };
        error?: { errorCode: number; errorMessage: string };
        info?: { notes?: string[] };
        response?: { filteringTerms: { id: string }[] };
      },
    };
  }

  it('refuses an anonymous query that combines a variant with filters (variant-only or filter-only)', async () => {
    const route = routeWith();
    const both = await get(route, `/g_variants?${allele(singleton)}&filters=MONDO:0004992`);
    expect(both.status).toBe(403);
    expect(both.body.error?.errorMessage).toContain('variant parameters or filters, not both');
    const individuals = await get(route, `/individuals?${allele(common)}&filters=NCIT:C16576`);
    expect(individuals.status).toBe(403);
    // Each alone is answered.
    expect((await get(route, `/g_variants?${allele(common)}`)).status).toBe(200);
    expect((await get(route, '/individuals?filters=MONDO:0004992')).status).toBe(200);
  });

  it('says "exists" only for at least minCellCount participants: a single carrier is not confirmed', async () => {
    const route = routeWith();
    const one = await get(route, `/g_variants?${allele(singleton)}`);
    expect(one.status).toBe(200);
    expect(one.body.responseSummary?.exists).toBe(false);
    expect(one.body.info?.notes?.join(' ')).toContain('at least 20 participants');
    expect((await get(route, `/g_variants?${allele(common)}`)).body.responseSummary?.exists).toBe(
      true,
    );
  });

  it('lists as filtering terms only terms held by at least minCellCount counted participants', async () => {
    const route = routeWith();
    const before = (await get(route, '/filtering_terms')).body.response!.filteringTerms.map(
      (t) => t.id,
    );
    expect(before).toContain('HP:0001250');
    expect(before).not.toContain('HP:0000707');
    // One participant is diagnosed with a term nobody else has: the list must not say so.
    const [p] = await db.db
      .select({ id: participants.id, num: participants.num })
      .from(participants)
      .where(and(eq(participants.status, 'enrolled'), eq(participants.discoverable, true)))
      .limit(1);
    await db.db.transaction(async (tx) => {
      await tx
        .insert(phenotypeObservations)
        .values({ participantId: p!.id, term: 'HP:0000707', present: true });
      await recordCohortChange(tx, 'participant', p!.num);
    });
    const after = (await get(route, '/filtering_terms')).body.response!.filteringTerms.map(
      (t) => t.id,
    );
    expect(after).not.toContain('HP:0000707');
    expect(after).toEqual(before);
  });

  it('limits each client per minute and per day (429 with Retry-After); other clients go on', async () => {
    const perMinute = routeWith({ perMinute: 3, perDay: 1_000 });
    const statuses = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await get(perMinute, `/g_variants?${allele(common)}`, '198.51.100.7')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await get(perMinute, `/g_variants?${allele(common)}`, '198.51.100.7');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.error?.errorCode).toBe(429);
    expect((await get(perMinute, `/g_variants?${allele(common)}`, '198.51.100.8')).status).toBe(
      200,
    );
    // The daily cap counts answered queries over 24 hours, whatever the minute.
    let minute = 0;
    const daily = routeWith(
      { perMinute: 1_000, perDay: 4 },
      () => new Date(T0.getTime() + 3600_000 + minute * 60_000),
    );
    const answered = [];
    for (minute = 0; minute < 6; minute += 1)
      answered.push((await get(daily, '/individuals?filters=NCIT:C16576', '203.0.113.9')).status);
    expect(answered).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('audits public queries as one event per client and minute, and the hash chain stays whole', async () => {
    const at = new Date('2026-03-02T08:30:10Z');
    const route = routeWith(undefined, () => at);
    const before = (await auditEventsWithAction(db.db, 'beacon.query')).length;
    for (let i = 0; i < 7; i += 1) await get(route, `/g_variants?${allele(common)}`, '192.0.2.50');
    for (let i = 0; i < 2; i += 1)
      await get(route, '/individuals?filters=NCIT:C16576', '192.0.2.51');
    // Not one anchored event per query.
    expect((await auditEventsWithAction(db.db, 'beacon.query')).length).toBe(before);
    // Sealed once the minute is over: one event per client with the count.
    await sealPublicTallies(db.db, { now: new Date(at.getTime() + 5 * 60_000) });
    const events = (await auditEventsWithAction(db.db, 'beacon.query.public'))
      .map((e) => ({ ...e, p: JSON.parse(e.payload) as Record<string, unknown> }))
      .filter((e) => e.p.minute === '2026-03-02T08:30:00.000Z');
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.p.queries).sort()).toEqual([2, 7]);
    const seven = events.find((e) => e.p.queries === 7)!;
    expect(seven).toMatchObject({ actorRole: 'anonymous', actorId: null });
    expect(seven.p).toMatchObject({ refused: 0, hits: 7 });
    expect(seven.p.criteriaDigests).toHaveLength(1);
    // No client address is stored, in the tally or in the trail.
    expect(JSON.stringify(events)).not.toContain('192.0.2.5');
    const rows = await queryRows<{ client: string }>(
      db.db,
      sql`select client from beacon_public_queries`,
    );
    expect(rows.every((r) => /^[0-9a-f]{32}$/.test(r.client))).toBe(true);
    // Sealing again writes nothing twice.
    expect(await sealPublicTallies(db.db, { now: new Date(at.getTime() + 6 * 60_000) })).toBe(0);
    const unsealed = await db.db
      .select()
      .from(beaconPublicQueries)
      .where(
        and(
          isNull(beaconPublicQueries.auditedAt),
          lt(beaconPublicQueries.minute, new Date(at.getTime() + 60_000)),
        ),
      );
    expect(unsealed).toHaveLength(0);
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});
