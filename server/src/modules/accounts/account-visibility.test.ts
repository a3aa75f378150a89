import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { registerDataset } from '../datasets/datasets.service.js';
import { users } from './accounts.tables.js';

const STEWARDS = `{ datasets { name steward { displayName email disabledAt } } }`;
type Answer = {
  datasets: { steward: { displayName: string; email: string | null; disabledAt: string | null } }[];
};

describe(`what a participant sees of staff accounts (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const steward = await makeUser(db.db, 'steward');
    await db.db.transaction((tx) =>
      registerDataset(tx, actorOf(steward), { name: 'Visible', dataUse: { permission: 'GRU' } }),
    );
    // A disabled steward: the account state is staff business too.
    await db.db.update(users).set({ disabledAt: new Date() });
  });
  afterAll(() => db.dispose());

  it("a participant sees the steward's name, never their e-mail or account state", async () => {
    const participant = await makeUser(db.db, 'participant');
    const token = await loginAs(gql, participant);
    const res = await gql<Answer>(STEWARDS, {}, { token });
    const steward = res.data!.datasets[0]!.steward;
    expect(steward).toEqual({ displayName: 'Test steward', email: null, disabledAt: null });
    const me = await gql<{ me: { email: string } }>(`{ me { email } }`, {}, { token });
    expect(me.data?.me.email).toBe(participant.email);
  });

  it('staff still see both', async () => {
    const token = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const res = await gql<Answer>(STEWARDS, {}, { token });
    const steward = res.data!.datasets[0]!.steward;
    expect(steward.email).toMatch(/@test\.local$/);
    expect(steward.disabledAt).not.toBeNull();
  });
});
