import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture, type CohortFixture } from '../../test/cohort-fixture.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import type { CohortCriteria } from './cohort-criteria.js';
import { sqlBaselineCount } from './sql-baseline.js';

const COUNT = `query($c: CohortCriteriaInput!, $p: ResearchPurposeInput) {
  cohortCount(criteria: $c, purpose: $p) {
    count display remainingBudget
    breakdown { permitted { count display } ask { count display } excluded { count display } }
  }
}`;

type CountResult = {
  cohortCount: {
    count: number | null;
    display: string;
    remainingBudget: number;
    breakdown: Record<
      'permitted' | 'ask' | 'excluded',
      { count: number | null; display: string }
    > | null;
  };
};

describe(`cohortCount through GraphQL (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let fx: CohortFixture;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let ontology: OntologyGraph;
  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await insertCohortFixture(db.db, 1_200, 11);
    gql = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 1_000 } }),
    );
    token = await loginAs(gql, await makeUser(db.db, 'researcher'));
    ontology = await OntologyGraph.load(db.db);
  });
  afterAll(() => db.dispose());

  const ask = (c: CohortCriteria, purpose?: Record<string, unknown>, t = token) =>
    gql<CountResult>(COUNT, { c, p: purpose ?? null }, { token: t });

  it('a count of 1..19 shows as "<20"; 0 shows as 0; a larger count is within the noise of the truth', async () => {
    expect((await ask({ genes: ['NOPE1'] })).data?.cohortCount).toMatchObject({
      count: 0,
      display: '0',
    });
    let small: CohortCriteria | null = null;
    for (const v of fx.variantKeys) {
      const n = await sqlBaselineCount(db.db, { variants: [v] }, ontology);
      if (n > 0 && n < 20) {
        small = { variants: [v] };
        break;
      }
    }
    expect(small).not.toBeNull();
    expect((await ask(small!)).data?.cohortCount).toMatchObject({ count: null, display: '<20' });
    const broad: CohortCriteria = { sex: 'female' };
    const truth = await sqlBaselineCount(db.db, broad, ontology);
    const shown = (await ask(broad)).data!.cohortCount;
    expect(Math.abs(shown.count! - truth)).toBeLessThanOrEqual(3);
    expect(shown.display).toBe(String(shown.count));
  });

  it('with a purpose, the consent breakdown follows the same rules (no consent recorded yet: everyone must be asked)', async () => {
    const res = await ask({ sex: 'male' }, { primary: 'HMB' });
    const b = res.data!.cohortCount.breakdown!;
    expect(b.permitted).toEqual({ count: 0, display: '0' });
    expect(b.excluded).toEqual({ count: 0, display: '0' });
    expect(Math.abs(b.ask.count! - res.data!.cohortCount.count!)).toBeLessThanOrEqual(6);
  });

  it('every count is audited with its criteria and what was shown, never the true figure', async () => {
    const before = (await auditEventsWithAction(db.db, 'cohort.count')).length;
    await ask({ phenotypes: ['HP:0000707'], sex: 'female' });
    const events = await auditEventsWithAction(db.db, 'cohort.count');
    expect(events.length).toBe(before + 1);
    const payload = JSON.parse(events[events.length - 1]!.payload) as {
      criteria: CohortCriteria;
      shown: string;
    };
    expect(payload.criteria).toEqual({ phenotypes: ['HP:0000707'], sex: 'female' });
    expect(payload.shown).toMatch(/^(<20|\d+)$/);
  });

  it('bad criteria are a validation error naming the field', async () => {
    const res = await ask({ variants: ['17:7674220:C>T'] });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(res.errors?.[0]?.message).toContain('variants.0');
    const range = await ask({ ageMin: 70, ageMax: 20 });
    expect(range.errors?.[0]?.message).toContain('ageMax');
  });

  it('participants cannot count cohorts', async () => {
    const participantToken = await loginAs(gql, await makeUser(db.db, 'participant'));
    const res = await ask({}, undefined, participantToken);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('the daily budget locks a user out once spent', async () => {
    const tight = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 3 } }),
    );
    const t = await loginAs(tight, await makeUser(db.db, 'researcher'));
    const budgets: number[] = [];
    for (let i = 0; i < 3; i += 1)
      budgets.push(
        (await tight<CountResult>(COUNT, { c: { sex: 'female' } }, { token: t })).data!.cohortCount
          .remainingBudget,
      );
    expect(budgets).toEqual([2, 1, 0]);
    const refused = await tight(COUNT, { c: { sex: 'female' } }, { token: t });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
