import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../../errors/app-errors.js';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { actorOf, useTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { changeUserRole, disableUser, enableUser } from './account-admin.service.js';
import { users } from './accounts.tables.js';
import { confirmResearcherStatus } from './researcher-status.service.js';
import { LastAdminError } from './last-admin-error.js';

const CHANGE_ROLE = `mutation($input: ChangeUserRoleInput!) { changeUserRole(input: $input) {
  __typename
  ... on MutationChangeUserRoleSuccess { data { id role } }
  ... on Error { code message }
} }`;
const ME = `{ me { id role } }`;

describe(`account administration on ${TEST_DRIVER}`, () => {
  const fx = useTestApi();

  const run = <T>(fn: Parameters<typeof fx.db.db.transaction<T>>[0]) => fx.db.db.transaction(fn);
  const activeAdmins = async () =>
    (await fx.db.db.select().from(users).where(eq(users.role, 'admin'))).filter(
      (u) => u.disabledAt === null,
    );
  // Each test that needs "the last admin" first sets every other admin aside.
  async function onlyAdmin() {
    const admin = await makeUser(fx.db.db, 'admin');
    for (const other of await activeAdmins())
      if (other.id !== admin.id)
        await fx.db.db.update(users).set({ role: 'steward' }).where(eq(users.id, other.id));
    return admin;
  }

  it('an admin changes a role; it takes effect on the next request and is audited', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const steward = await makeUser(fx.db.db, 'steward');
    const stewardToken = await loginAs(fx.gql, steward);
    const res = await fx.gql<{ changeUserRole: { __typename: string; data: { role: string } } }>(
      CHANGE_ROLE,
      { input: { userId: steward.id, role: 'ethics_board' } },
      { token: await loginAs(fx.gql, admin) },
    );
    expect(res.data?.changeUserRole).toMatchObject({
      __typename: 'MutationChangeUserRoleSuccess',
      data: { role: 'ethics_board' },
    });
    expect(await lastAuditEvent(fx.db.db)).toMatchObject({
      action: 'user.role.change',
      actorId: admin.id,
      targetType: 'user',
      targetId: steward.id,
      payload: '{"from":"steward","researcherStatusCleared":false,"to":"ethics_board"}',
    });
    const me = await fx.gql<{ me: { role: string } }>(ME, {}, { token: stewardToken });
    expect(me.data?.me.role).toBe('ethics_board');
  });

  it('leaving the researcher role clears a confirmed researcher status', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const researcher = await makeUser(fx.db.db, 'researcher');
    await run((tx) => confirmResearcherStatus(tx, actorOf(admin), researcher.id));
    const changed = await run((tx) =>
      changeUserRole(tx, actorOf(admin), { userId: researcher.id, role: 'steward' }),
    );
    expect(changed.researcherStatusConfirmedAt).toBeNull();
    expect(JSON.parse((await lastAuditEvent(fx.db.db))!.payload)).toMatchObject({
      researcherStatusCleared: true,
    });
  });

  it('setting the role an account already has changes and records nothing', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const steward = await makeUser(fx.db.db, 'steward');
    const before = await auditCount(fx.db.db);
    await run((tx) => changeUserRole(tx, actorOf(admin), { userId: steward.id, role: 'steward' }));
    expect(await auditCount(fx.db.db)).toBe(before);
  });

  it('the last active admin cannot demote themselves: a typed error, nothing written', async () => {
    const admin = await onlyAdmin();
    const token = await loginAs(fx.gql, admin);
    const before = await auditCount(fx.db.db);
    const res = await fx.gql<{ changeUserRole: { __typename: string; code: string } }>(
      CHANGE_ROLE,
      { input: { userId: admin.id, role: 'researcher' } },
      { token },
    );
    expect(res.data?.changeUserRole).toMatchObject({
      __typename: 'LastAdminError',
      code: 'CONFLICT',
    });
    expect(await auditCount(fx.db.db)).toBe(before);
    expect((await activeAdmins()).map((a) => a.id)).toEqual([admin.id]);
  });

  it('with a second admin, an admin may step down; a disabled admin does not count', async () => {
    const admin = await onlyAdmin();
    const second = await makeUser(fx.db.db, 'admin');
    await run((tx) => disableUser(tx, actorOf(admin), second.id));
    await expect(
      run((tx) => changeUserRole(tx, actorOf(admin), { userId: admin.id, role: 'steward' })),
    ).rejects.toBeInstanceOf(LastAdminError);
    await run((tx) => enableUser(tx, actorOf(admin), second.id));
    const stepped = await run((tx) =>
      changeUserRole(tx, actorOf(admin), { userId: admin.id, role: 'steward' }),
    );
    expect(stepped.role).toBe('steward');
  });

  it('two admins demoting each other at once leave one admin standing', async () => {
    const a = await onlyAdmin();
    const b = await makeUser(fx.db.db, 'admin');
    const results = await Promise.allSettled([
      run((tx) => changeUserRole(tx, actorOf(a), { userId: b.id, role: 'steward' })),
      run((tx) => changeUserRole(tx, actorOf(b), { userId: a.id, role: 'steward' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(LastAdminError);
    expect(await activeAdmins()).toHaveLength(1);
  });

  it('disabling ends the sessions and refuses sign-in; enabling lets the account back in', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const researcher = await makeUser(fx.db.db, 'researcher');
    const token = await loginAs(fx.gql, researcher);
    const adminToken = await loginAs(fx.gql, admin);
    const res = await fx.gql<{ disableUser: { __typename: string; data: { disabledAt: string } } }>(
      `mutation($id: ID!) { disableUser(userId: $id) { __typename ... on MutationDisableUserSuccess { data { disabledAt } } } }`,
      { id: researcher.id },
      { token: adminToken },
    );
    expect(res.data?.disableUser.__typename).toBe('MutationDisableUserSuccess');
    expect(res.data?.disableUser.data.disabledAt).toEqual(expect.any(String));
    expect(await lastAuditEvent(fx.db.db)).toMatchObject({
      action: 'user.disable',
      targetId: researcher.id,
      payload: '{"sessionsEnded":1}',
    });
    expect((await fx.gql<{ me: null }>(ME, {}, { token })).data?.me).toBeNull();
    await expect(loginAs(fx.gql, researcher)).rejects.toThrow(/login failed/);

    const enabled = await fx.gql<{ enableUser: { __typename: string } }>(
      `mutation($id: ID!) { enableUser(userId: $id) { __typename } }`,
      { id: researcher.id },
      { token: adminToken },
    );
    expect(enabled.data?.enableUser.__typename).toBe('MutationEnableUserSuccess');
    expect((await lastAuditEvent(fx.db.db))?.action).toBe('user.enable');
    await expect(loginAs(fx.gql, researcher)).resolves.toEqual(expect.any(String));
  });

  it('nobody disables their own account, and the last admin cannot be disabled', async () => {
    const admin = await onlyAdmin();
    await expect(run((tx) => disableUser(tx, actorOf(admin), admin.id))).rejects.toBeInstanceOf(
      ConflictError,
    );
    const before = await auditCount(fx.db.db);
    // Defence in depth: an admin disabled after their request began (a stale actor) is not a
    // second active admin, so the only active one still cannot be disabled.
    const second = await makeUser(fx.db.db, 'admin');
    await fx.db.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, second.id));
    await expect(run((tx) => disableUser(tx, actorOf(second), admin.id))).rejects.toBeInstanceOf(
      LastAdminError,
    );
    expect(await auditCount(fx.db.db)).toBe(before);
  });

  it('default deny: other roles and the system actor are refused; bad ids are validation errors', async () => {
    const target = await makeUser(fx.db.db, 'researcher');
    for (const role of ['participant', 'researcher', 'ethics_board', 'steward'] as const) {
      const user = await makeUser(fx.db.db, role);
      await expect(
        run((tx) => changeUserRole(tx, actorOf(user), { userId: target.id, role: 'admin' })),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(run((tx) => disableUser(tx, actorOf(user), target.id))).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
    await expect(
      run((tx) => enableUser(tx, { kind: 'system', name: 'cli' }, target.id)),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(run((tx) => enableUser(tx, null, target.id))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const admin = await makeUser(fx.db.db, 'admin');
    const bad = await run((tx) =>
      changeUserRole(tx, actorOf(admin), { userId: 'nope', role: 'king' }),
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).issues.map((i) => i.field).sort()).toEqual(['role', 'userId']);
  });
});
