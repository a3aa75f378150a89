import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction, lastAuditEvent } from '../../test/audit-rows.js';
import {
  TEST_PASSWORD,
  createTestApi,
  loginAs,
  makeUser,
  testConfig,
} from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';

const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) {
  __typename ... on MutationChangePasswordSuccess { data }
  ... on Error { code message } ... on ValidationError { fieldErrors { field } } } }`;
const ME = `{ me { id } }`;
const NEW_PASSWORD = 'a brand new passphrase 42';

describe(`password change and log out everywhere (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db, testConfig());
  });
  afterAll(() => db.dispose());

  const signedIn = async (token: string) =>
    (await gql<{ me: { id: string } | null }>(ME, {}, { token })).data?.me != null;

  it('changes the password with the current one, ends the other sessions and keeps this one', async () => {
    const user = await makeUser(db.db, 'participant');
    const here = await loginAs(gql, user);
    const elsewhere = await loginAs(gql, user);
    const res = await gql<{ changePassword: { __typename: string; data: number } }>(
      CHANGE,
      { c: TEST_PASSWORD, n: NEW_PASSWORD },
      { token: here },
    );
    expect(res.data?.changePassword).toEqual({
      __typename: 'MutationChangePasswordSuccess',
      data: 1,
    });
    expect(await signedIn(here)).toBe(true);
    expect(await signedIn(elsewhere)).toBe(false);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'auth.password_change',
      actorId: user.id,
      targetId: user.id,
    });
    const old = await gql<{ login: { __typename: string } }>(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }`,
      { e: user.email, p: TEST_PASSWORD },
    );
    expect(old.data?.login.__typename).toBe('UnauthenticatedError');
  });

  it('refuses a wrong current password, changes nothing and audits the refusal', async () => {
    const user = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, user);
    const other = await loginAs(gql, user);
    const res = await gql<{ changePassword: { __typename: string; code: string } }>(
      CHANGE,
      { c: 'not my password at all', n: NEW_PASSWORD },
      { token },
    );
    expect(res.data?.changePassword).toMatchObject({ __typename: 'ValidationError' });
    expect(await signedIn(other)).toBe(true);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'auth.password_change.refused',
      actorId: user.id,
    });
    await loginAs(gql, user); // the old password still works
  });

  it('a stolen session cannot guess the current password without limit', async () => {
    const user = await makeUser(db.db, 'steward');
    const token = await loginAs(gql, user);
    const kinds = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        gql<{ changePassword: { __typename: string } }>(
          CHANGE,
          { c: `guess number ${i}`, n: NEW_PASSWORD },
          { token },
        ).then((r) => r.data?.changePassword.__typename),
      ),
    );
    expect(kinds.filter((k) => k === 'RateLimitedError').length).toBeGreaterThan(0);
  });

  it('refuses a new password that is too short or the same as the current one', async () => {
    const user = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, user);
    for (const n of ['short', TEST_PASSWORD]) {
      const res = await gql<{ changePassword: { __typename: string } }>(
        CHANGE,
        { c: TEST_PASSWORD, n },
        { token },
      );
      expect(res.data?.changePassword.__typename).toBe('ValidationError');
    }
  });

  it('log out everywhere ends every session of the account, this one too, and is audited', async () => {
    const user = await makeUser(db.db, 'ethics_board');
    const tokens = [await loginAs(gql, user), await loginAs(gql, user), await loginAs(gql, user)];
    const bystander = await loginAs(gql, await makeUser(db.db, 'ethics_board'));
    const res = await gql<{ logoutEverywhere: number }>(
      `mutation { logoutEverywhere }`,
      {},
      { token: tokens[0] },
    );
    expect(res.data?.logoutEverywhere).toBe(3);
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
    for (const t of tokens) expect(await signedIn(t)).toBe(false);
    expect(await signedIn(bystander)).toBe(true);
    const [event] = (await auditEventsWithAction(db.db, 'auth.logout_everywhere')).slice(-1);
    expect(event).toMatchObject({
      actorId: user.id,
      payload: expect.stringContaining('"sessionsEnded":3'),
    });
  });
});
