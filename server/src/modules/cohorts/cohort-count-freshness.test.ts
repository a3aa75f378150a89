import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture } from '../../test/cohort-fixture.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { participants } from '../participants/participants.tables.js';

const COUNT = `query($c: CohortCriteriaInput!) {
  cohortCount(criteria: $c) { count display remainingBudget }
}`;

type CountResult = {
  cohortCount: { count: number | null; display: string; remainingBudget: number };
};

// A count checks its index against the change log inside its own transaction (the budget
// statement reads the log's head) instead of syncing first: a change committed elsewhere must
// still be in the very next count, and the retry must not spend the budget twice.
describe(`cohortCount sees changes committed by another process (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let userId = '';
  let token = '';
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertCohortFixture(db.db, 400, 5);
    gql = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 100 } }),
    );
    const user = await makeUser(db.db, 'researcher');
    userId = user.id;
    token = await loginAs(gql, user);
  });
  afterAll(() => db.dispose());

  const countFemales = async () => {
    const res = await gql<CountResult>(COUNT, { c: { sex: 'female' } }, { token });
    expect(res.errors).toBeUndefined();
    return res.data!.cohortCount;
  };
  const budgetRows = async () =>
    (
      await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from count_queries where user_id = ${userId}`,
      )
    )[0]!.n;

  it('a change another writer committed after the index last synced is counted at once, with one budget unit and one audit event', async () => {
    const before = await countFemales();
    expect(before.count).toBeGreaterThan(100);
    expect(await budgetRows()).toBe(1);

    // Another process (here: a transaction of its own, not through this API's engine) turns
    // every female participant male and notes it in the change log, as the services do.
    await db.db.transaction(async (tx) => {
      await tx.update(participants).set({ sex: 'male' }).where(eq(participants.sex, 'female'));
      await recordCohortChange(tx, 'participant', 'all');
    });

    const after = await countFemales();
    expect(after).toEqual({ count: 0, display: '0', remainingBudget: before.remainingBudget - 1 });
    // The stale attempt rolled back: its budget row and its audit event are gone with it.
    expect(await budgetRows()).toBe(2);
    const audited = await auditEventsWithAction(db.db, 'cohort.count');
    expect(audited.map((e) => JSON.parse(e.payload).shown)).toEqual([before.display, '0']);

    // Nothing changed since: the count answers from the index as it is, still current.
    expect(await countFemales()).toEqual({
      count: 0,
      display: '0',
      remainingBudget: before.remainingBudget - 2,
    });
    expect(await budgetRows()).toBe(3);
  });
});
