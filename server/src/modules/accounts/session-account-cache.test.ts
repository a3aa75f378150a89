import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../graphql/run.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { errorCode, loginAs, makeUser, useTestApi } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import {
  cachedSession,
  forgetCachedSessions,
  rememberSession,
  sessionCacheGeneration,
} from './session-cache.js';
import { resolveSessionAccount } from './accounts.service.js';
import { tokenDigest } from './session-token.js';

const ME = `{ me { id role locale researcherStatusConfirmedAt } }`;
type Me = {
  me: {
    id: string;
    role: string;
    locale: string | null;
    researcherStatusConfirmedAt: string | null;
  };
};

/**
 * `me` answers the account the session lookup cached with the session (issue #19: no statement
 * while the cache is warm). Every request below first warms the cache with `me`, then a change
 * goes through the API, and the very next request must see it.
 */
describe(`the account cached with a session on ${TEST_DRIVER}`, () => {
  const fx = useTestApi();
  const me = (token: string) => fx.gql<Me>(ME, {}, { token });

  it('a role change is seen by the very next request, `me` and role gates alike', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const steward = await makeUser(fx.db.db, 'steward');
    const stewardToken = await loginAs(fx.gql, steward);
    const adminToken = await loginAs(fx.gql, admin);
    expect((await me(stewardToken)).data?.me.role).toBe('steward');
    // The admin-only `users` list is refused while the cache still holds the steward.
    expect(errorCode(await fx.gql(`{ users { id } }`, {}, { token: stewardToken }))).toBe(
      'FORBIDDEN',
    );
    const changed = await fx.gql(
      `mutation($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { __typename } }`,
      { input: { userId: steward.id, role: 'admin' } },
      { token: adminToken },
    );
    expect(changed.data).toEqual({
      changeUserRole: { __typename: 'MutationChangeUserRoleSuccess' },
    });
    expect((await me(stewardToken)).data?.me.role).toBe('admin');
    const list = await fx.gql<{ users: { id: string }[] }>(
      `{ users { id } }`,
      {},
      {
        token: stewardToken,
      },
    );
    expect(list.errors).toBeUndefined();
    expect(list.data?.users.map((u) => u.id)).toContain(steward.id);
  });

  it('disabling is seen by the very next request: the session stands for no one', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const researcher = await makeUser(fx.db.db, 'researcher');
    const token = await loginAs(fx.gql, researcher);
    expect((await me(token)).data?.me.id).toBe(researcher.id);
    const disabled = await fx.gql(
      `mutation($id: ID!) { disableUser(userId: $id) { __typename } }`,
      { id: researcher.id },
      { token: await loginAs(fx.gql, admin) },
    );
    expect(disabled.data).toEqual({ disableUser: { __typename: 'MutationDisableUserSuccess' } });
    expect((await me(token)).data?.me).toBeNull();
  });

  it('signing out is seen by the very next request', async () => {
    const participant = await makeUser(fx.db.db, 'participant');
    const token = await loginAs(fx.gql, participant);
    expect((await me(token)).data?.me.id).toBe(participant.id);
    expect((await fx.gql(`mutation { logout }`, {}, { token })).data).toEqual({ logout: true });
    expect((await me(token)).data?.me).toBeNull();
  });

  it('a language chosen is what the very next `me` answers', async () => {
    const participant = await makeUser(fx.db.db, 'participant');
    const token = await loginAs(fx.gql, participant);
    expect((await me(token)).data?.me.locale).toBeNull();
    const set = await fx.gql(
      `mutation { setMyLanguage(locale: "es") { __typename } }`,
      {},
      {
        token,
      },
    );
    expect(set.errors).toBeUndefined();
    expect((await me(token)).data?.me.locale).toBe('es');
  });

  it('a confirmed researcher status is what the very next `me` answers', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const researcher = await makeUser(fx.db.db, 'researcher');
    const token = await loginAs(fx.gql, researcher);
    expect((await me(token)).data?.me.researcherStatusConfirmedAt).toBeNull();
    const confirmed = await fx.gql(
      `mutation($id: ID!) { confirmResearcherStatus(userId: $id) { __typename } }`,
      { id: researcher.id },
      { token: await loginAs(fx.gql, admin) },
    );
    expect(confirmed.errors).toBeUndefined();
    expect((await me(token)).data?.me.researcherStatusConfirmedAt).toEqual(expect.any(String));
  });

  it('the session lookup answers the account with the acting user', async () => {
    const steward = await makeUser(fx.db.db, 'steward');
    const token = await loginAs(fx.gql, steward);
    forgetCachedSessions();
    const found = await resolveSessionAccount(fx.db.db, token);
    expect(found?.viewer).toMatchObject({ kind: 'user', userId: steward.id, role: 'steward' });
    expect(found?.account).toMatchObject({ id: steward.id, email: steward.email, role: 'steward' });
    // The cached answer is the same account, and nobody can change what requests share.
    const again = await resolveSessionAccount(fx.db.db, token);
    expect(again?.account).toEqual(found?.account);
    expect(Object.isFrozen(again?.account)).toBe(true);
    expect(await resolveSessionAccount(fx.db.db, 'not-a-token')).toBeNull();
  });

  it('a session cached while a forgetting write was still open is forgotten at its commit', async () => {
    const steward = await makeUser(fx.db.db, 'steward');
    const token = await loginAs(fx.gql, steward);
    const found = (await resolveSessionAccount(fx.db.db, token))!;
    const digest = tokenDigest(token);
    const ctx = { db: fx.db.db, services: { relay: null } } as unknown as GraphQLContext;
    await inTransaction(ctx, async () => {
      // The write forgets (as a role change does), then a lookup that began after it stores what
      // it read before the write committed.
      forgetCachedSessions();
      rememberSession(
        digest,
        { ...found, expiresAt: Number.MAX_SAFE_INTEGER, lastSeenAt: Number.MAX_SAFE_INTEGER },
        sessionCacheGeneration(),
        Number.MAX_SAFE_INTEGER - 1,
      );
      expect(cachedSession(digest, Number.MAX_SAFE_INTEGER - 1)).toBeDefined();
    });
    expect(cachedSession(digest, Number.MAX_SAFE_INTEGER - 1)).toBeUndefined();
  });
});
