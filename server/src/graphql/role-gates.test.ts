import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../modules/accounts/accounts.service.js';
import { ROLES, type Role } from '../modules/actors/roles.js';
import { createTestApi, loginAs, makeUser } from '../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { createParticipant } from '../modules/participants/participants.service.js';

/**
 * Role × operation matrix through the real API. Each operation lists the roles allowed; every
 * other role (and an anonymous caller) must be refused. Allowed means "not refused for the role":
 * the operation may still answer a typed error about its input.
 */
type Operation = {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  allowed: Role[] | 'public';
};

describe(`role gates on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  const tokens = new Map<Role, string>();
  const accounts = new Map<Role, UserRecord>();
  let participantId = '';
  let targetUserId = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    for (const role of ROLES) {
      const user = await makeUser(db.db, role);
      accounts.set(role, user);
      tokens.set(role, await loginAs(gql, user));
    }
    targetUserId = (await makeUser(db.db, 'researcher')).id;
    participantId = (
      await db.db.transaction((tx) =>
        createParticipant(tx, { kind: 'system', name: 'test' }, { sex: 'female' }),
      )
    ).id;
  });
  afterAll(() => db.dispose());

  let n = 0;
  const unique = () => `gate-${(n += 1)}-${Date.now()}`;
  const operations: Operation[] = [
    { name: 'duoTerms', query: `{ duoTerms { code } }`, variables: () => ({}), allowed: 'public' },
    { name: 'datasets', query: `{ datasets { id } }`, variables: () => ({}), allowed: [...ROLES] },
    {
      name: 'duoMatch',
      query: `{ duoMatch(purpose: { primary: HMB }, dataUse: { permission: GRU }) { decision } }`,
      variables: () => ({}),
      allowed: 'public',
    },
    {
      name: 'cohortCount',
      query: `{ cohortCount(criteria: { sex: female }) { display } }`,
      variables: () => ({}),
      allowed: ['researcher', 'ethics_board', 'steward', 'admin'],
    },
    {
      name: 'chainStatus',
      query: `{ chainStatus { pending } }`,
      variables: () => ({}),
      allowed: ['ethics_board', 'admin'],
    },
    { name: 'users', query: `{ users { id } }`, variables: () => ({}), allowed: ['admin'] },
    {
      name: 'participants',
      query: `{ participants { total } }`,
      variables: () => ({}),
      allowed: ['steward', 'ethics_board', 'admin'],
    },
    {
      name: 'auditEvents',
      query: `{ auditEvents { seq } }`,
      variables: () => ({}),
      allowed: ['ethics_board', 'admin'],
    },
    {
      name: 'verifyAuditTrail',
      query: `mutation { verifyAuditTrail { ok } }`,
      variables: () => ({}),
      allowed: ['ethics_board', 'admin'],
    },
    {
      name: 'auditActivity',
      query: `{ auditActivity { total } }`,
      variables: () => ({}),
      allowed: ['ethics_board', 'admin'],
    },
    {
      name: 'auditFacets',
      query: `{ auditFacets { actions } }`,
      variables: () => ({}),
      allowed: ['ethics_board', 'admin'],
    },
    {
      name: 'changeUserRole',
      query: `mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { __typename } }`,
      variables: () => ({ i: { userId: targetUserId, role: 'steward' } }),
      allowed: ['admin'],
    },
    {
      name: 'disableUser',
      query: `mutation($id: ID!) { disableUser(userId: $id) { __typename } }`,
      variables: () => ({ id: targetUserId }),
      allowed: ['admin'],
    },
    {
      name: 'enableUser',
      query: `mutation($id: ID!) { enableUser(userId: $id) { __typename } }`,
      variables: () => ({ id: targetUserId }),
      allowed: ['admin'],
    },
    {
      name: 'createUser',
      query: `mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }`,
      variables: () => ({
        i: {
          email: `${unique()}@test.local`,
          password: 'long enough password',
          displayName: 'G',
          role: 'researcher',
        },
      }),
      allowed: ['admin'],
    },
    {
      name: 'createParticipant',
      query: `mutation($i: CreateParticipantInput!) { createParticipant(input: $i) { __typename } }`,
      variables: () => ({ i: { sex: 'male' } }),
      allowed: ['steward', 'admin'],
    },
    {
      name: 'createEnrolmentCode',
      query: `mutation($id: ID!) { createEnrolmentCode(participantId: $id) { __typename } }`,
      variables: () => ({ id: participantId }),
      allowed: ['steward', 'admin'],
    },
    {
      name: 'registerDataset',
      query: `mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { __typename } }`,
      variables: () => ({ i: { name: unique(), dataUse: { permission: 'GRU' } } }),
      allowed: ['steward', 'admin'],
    },
  ];

  for (const op of operations) {
    for (const role of [...ROLES, 'anonymous'] as const) {
      const allowed =
        op.allowed === 'public' || (role !== 'anonymous' && op.allowed.includes(role));
      it(`${op.name} × ${role}: ${allowed ? 'allow' : 'deny'}`, async () => {
        const token = role === 'anonymous' ? undefined : tokens.get(role);
        const res = await gql<Record<string, { __typename?: string }>>(op.query, op.variables(), {
          token,
        });
        const code = res.errors?.[0]?.extensions?.code;
        if (allowed) {
          expect(res.errors).toBeUndefined();
          const value = res.data?.[op.name];
          expect(value).toBeDefined();
          if (value && typeof value === 'object' && '__typename' in value) {
            expect(value.__typename).toMatch(/Success$/);
          }
        } else {
          expect(code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
          expect(res.data?.[op.name] ?? null).toBeNull();
        }
      });
    }
  }
});
