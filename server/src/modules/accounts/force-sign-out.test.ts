import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { auditEvents } from '../audit/audit.tables.js';

describe(`an administrator signs an account out everywhere (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
  });
  afterAll(() => db.dispose());

  const FORCE = `mutation($id: ID!) { forceSignOut(userId: $id) { __typename ... on MutationForceSignOutSuccess { data } ... on Error { code } } }`;

  it('ends every session of the account, audits it, and the account can sign in again', async () => {
    const admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    const user = await makeUser(db.db, 'researcher');
    const first = await loginAs(gql, user);
    const second = await loginAs(gql, user);
    const res = await gql<{ forceSignOut: { data: number } }>(
      FORCE,
      { id: user.id },
      { token: admin },
    );
    expect(res.data!.forceSignOut.data).toBe(2);
    for (const token of [first, second]) {
      const me = await gql<{ me: unknown }>(`{ me { id } }`, {}, { token });
      expect(me.data!.me).toBeNull();
    }
    const [event] = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'user.force_sign_out'), eq(auditEvents.targetId, user.id)));
    expect(JSON.parse(event!.payload)).toEqual({ sessionsEnded: 2 });
    expect(await loginAs(gql, user)).toBeTruthy();
  });

  it('is for administrators only, and refuses an unknown account', async () => {
    const steward = await loginAs(gql, await makeUser(db.db, 'steward'));
    const target = await makeUser(db.db, 'researcher');
    const targetToken = await loginAs(gql, target);
    const refused = await gql<{ forceSignOut: unknown }>(
      FORCE,
      { id: target.id },
      { token: steward },
    );
    expect(refused.data?.forceSignOut ?? null).toBeNull();
    expect(
      (await gql<{ me: unknown }>(`{ me { id } }`, {}, { token: targetToken })).data!.me,
    ).not.toBeNull();
    const admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    const unknown = await gql<{ forceSignOut: { code: string } }>(
      FORCE,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: admin },
    );
    expect(unknown.data!.forceSignOut.code).toBe('NOT_FOUND');
  });
});
