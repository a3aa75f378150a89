import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture } from '../../test/cohort-fixture.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import type { CohortCriteria } from './cohort-criteria.js';
import { sqlBaselineCount } from './sql-baseline.js';

/**
 * The attack script: an attacker who knows that a target is the only carrier of a rare variant
 * wants to learn whether the target has a phenotype. They ask for A = "has the phenotype" and
 * B = "has the phenotype, not carrying the variant": without protection A − B is exactly 1 when
 * the target has it and 0 otherwise. Repeating or rewording a query to average the noise away
 * must not help either.
 */
describe(`differencing and repeated-query attacks (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let ontology: OntologyGraph;
  let singletons: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    const fx = await insertCohortFixture(db.db, 4_000, 3);
    gql = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 10_000 } }),
    );
    token = await loginAs(gql, await makeUser(db.db, 'researcher'));
    ontology = await OntologyGraph.load(db.db);
    for (const v of fx.variantKeys)
      if ((await sqlBaselineCount(db.db, { variants: [v] }, ontology)) === 1) singletons.push(v);
    singletons = singletons.slice(0, 40);
  });
  afterAll(() => db.dispose());

  const shown = async (c: CohortCriteria): Promise<string> =>
    (
      await gql<{ cohortCount: { display: string } }>(
        `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`,
        { c },
        { token },
      )
    ).data!.cohortCount.display;

  it('differencing A and A-minus-target reveals membership without protection, and not with it', async () => {
    expect(singletons.length).toBeGreaterThanOrEqual(10);
    const phenotype = 'HP:0000118';
    let rightUnprotected = 0;
    let rightProtected = 0;
    for (const v of singletons) {
      const a: CohortCriteria = { phenotypes: [phenotype] };
      const b: CohortCriteria = { phenotypes: [phenotype], not: { variants: [v] } };
      const truth =
        (await sqlBaselineCount(db.db, { phenotypes: [phenotype], variants: [v] }, ontology)) === 1;
      const trueDiff =
        (await sqlBaselineCount(db.db, a, ontology)) - (await sqlBaselineCount(db.db, b, ontology));
      if (trueDiff >= 1 === truth) rightUnprotected += 1;
      const diff = Number(await shown(a)) - Number(await shown(b));
      if (diff >= 1 === truth) rightProtected += 1;
    }
    // The same attack on the raw counts is always right: the script works in principle.
    expect(rightUnprotected).toBe(singletons.length);
    // Against the protected counts it does no better than always guessing the commoner answer.
    const members = (
      await Promise.all(
        singletons.map((v) =>
          sqlBaselineCount(db.db, { phenotypes: [phenotype], variants: [v] }, ontology),
        ),
      )
    ).filter((n) => n === 1).length;
    const majority = Math.max(members, singletons.length - members) / singletons.length;
    expect(members).toBeGreaterThan(0);
    expect(rightProtected / singletons.length).toBeLessThanOrEqual(majority + 0.05);
  });

  it('a set within the min cell count of one the user saw recently gets that answer again', async () => {
    const a = await shown({ sex: 'female' });
    // One private-variant carrier more or less: the attacker sees no difference at all.
    expect(await shown({ anyOf: [{ sex: 'female' }, { variants: [singletons[0]!] }] })).toBe(a);
    expect(await shown({ sex: 'female', not: { variants: [singletons[1]!] } })).toBe(a);
  });

  it('asking again, or asking the same set in other words, gives the same answer: nothing to average', async () => {
    const c: CohortCriteria = { phenotypes: ['HP:0000707'] };
    const first = await shown(c);
    for (let i = 0; i < 5; i += 1) expect(await shown(c)).toBe(first);
    expect(await shown({ anyOf: [{ phenotypes: ['HP:0000707'] }] })).toBe(first);
    expect(await shown({ phenotypes: ['HP:0000707'], not: { genes: ['NOPE1'] } })).toBe(first);
  });

  it('two spellings of one purpose are one purpose: {HMB} then {HMB, commercial: false} cannot difference a breakdown', async () => {
    const breakdownOf = async (c: CohortCriteria, p: Record<string, unknown>, t: string) =>
      (
        await gql<{ cohortCount: { breakdown: { ask: { display: string } } } }>(
          `query($c: CohortCriteriaInput!, $p: ResearchPurposeInput) { cohortCount(criteria: $c, purpose: $p) { breakdown { ask { display } } } }`,
          { c, p },
          { token: t },
        )
      ).data!.cohortCount.breakdown.ask.display;
    const phenotype = 'HP:0000118';
    const targets: string[] = [];
    for (const v of singletons)
      if (
        (await sqlBaselineCount(db.db, { phenotypes: [phenotype], variants: [v] }, ontology)) === 1
      )
        targets.push(v);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const v of targets.slice(0, 3)) {
      // A fresh account each time: nothing remembered from earlier tests.
      const t = await loginAs(gql, await makeUser(db.db, 'researcher'));
      const withTarget = await breakdownOf({ phenotypes: [phenotype] }, { primary: 'HMB' }, t);
      const without = await breakdownOf(
        { phenotypes: [phenotype], not: { variants: [v] } },
        { primary: 'HMB', commercial: false },
        t,
      );
      expect(without).toBe(withTarget);
    }
    // And the audit trail records the one canonical purpose for both spellings.
    const purposes = (await auditEventsWithAction(db.db, 'cohort.count'))
      .slice(-2)
      .map((e) => (JSON.parse(e.payload) as { purpose: unknown }).purpose);
    expect(purposes[0]).toEqual(purposes[1]);
  });
});
