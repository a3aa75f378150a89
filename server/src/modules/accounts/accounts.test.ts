import { forgetCachedSessions } from './session-cache.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastAuditEvent, auditCount, lastAuditEventWith } from '../../test/audit-rows.js';
import {
  TEST_PASSWORD,
  actorOf,
  createTestApi,
  loginAs,
  makeUser,
  testConfig,
} from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { sessions, users } from './accounts.tables.js';
import { createUser } from './accounts.service.js';
import { ValidationError, ConflictError } from '../../errors/app-errors.js';

const LOGIN = `mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) {
    __typename
    ... on MutationLoginSuccess { data { token expiresAt user { id role } } }
    ... on Error { code message }
    ... on RateLimitedError { retryAfterSeconds }
  }
}`;
const ME = `{ me { id email role } }`;

describe(`accounts on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db, testConfig({ loginMaxFailures: 3 }));
  });
  afterAll(() => db.dispose());

  it('logs in with e-mail and password, sets an HttpOnly SameSite=Lax cookie, and audits the login', async () => {
    const user = await makeUser(db.db, 'researcher');
    const res = await gql<{
      login: { __typename: string; data: { token: string; user: { id: string } } };
    }>(LOGIN, {
      e: user.email.toUpperCase(),
      p: TEST_PASSWORD,
    });
    expect(res.data?.login.__typename).toBe('MutationLoginSuccess');
    expect(res.data?.login.data.user.id).toBe(user.id);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^consentome_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    const event = await lastAuditEvent(db.db);
    expect(event).toMatchObject({
      action: 'auth.login',
      actorId: user.id,
      actorRole: 'researcher',
      targetType: 'session',
    });
  });

  it('marks the cookie Secure behind TLS', async () => {
    const secureGql = createTestApi(db.db, testConfig({ cookieSecure: true }));
    const user = await makeUser(db.db, 'steward');
    const res = await secureGql(LOGIN, { e: user.email, p: TEST_PASSWORD });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('answers `me` from the bearer token and from the cookie alike', async () => {
    const user = await makeUser(db.db, 'ethics_board');
    const token = await loginAs(gql, user);
    const viaBearer = await gql<{ me: { id: string; role: string } }>(ME, {}, { token });
    expect(viaBearer.data?.me).toMatchObject({ id: user.id, role: 'ethics_board' });
    const viaCookie = await gql<{ me: { id: string } }>(
      ME,
      {},
      { cookie: `other=1; consentome_session=${token}` },
    );
    expect(viaCookie.data?.me.id).toBe(user.id);
    const anonymous = await gql<{ me: null }>(ME);
    expect(anonymous.data?.me).toBeNull();
  });

  it('logout ends the session: the same token no longer works, and the cookie is cleared', async () => {
    const user = await makeUser(db.db, 'participant');
    const token = await loginAs(gql, user);
    const res = await gql<{ logout: boolean }>(`mutation { logout }`, {}, { token });
    expect(res.data?.logout).toBe(true);
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await lastAuditEvent(db.db))?.action).toBe('auth.logout');
    const after = await gql<{ me: null }>(ME, {}, { token });
    expect(after.data?.me).toBeNull();
  });

  it('an expired session is no session', async () => {
    const user = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, user);
    await db.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, user.id));
    // Written around the service: the process's session cache is told, as a tool must.
    forgetCachedSessions();
    const res = await gql<{ me: null }>(ME, {}, { token });
    expect(res.data?.me).toBeNull();
    const gated = await gql(`{ datasets { id } }`, {}, { token });
    expect(gated.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a wrong password is a typed error, audited without the e-mail address', async () => {
    const user = await makeUser(db.db, 'researcher');
    const res = await gql<{ login: { __typename: string; code: string } }>(LOGIN, {
      e: user.email,
      p: 'wrong password!!',
    });
    expect(res.data?.login).toMatchObject({
      __typename: 'UnauthenticatedError',
      code: 'UNAUTHENTICATED',
    });
    const event = await lastAuditEvent(db.db);
    expect(event).toMatchObject({
      action: 'auth.login_failed',
      actorRole: 'anonymous',
      targetId: user.id,
    });
    expect(JSON.stringify(event)).not.toContain(user.email);
  });

  it('slows an account down after repeated failures, even with the right password afterwards', async () => {
    const user = await makeUser(db.db, 'researcher');
    for (let i = 0; i < 3; i += 1) await gql(LOGIN, { e: user.email, p: 'not the password' });
    const res = await gql<{ login: { __typename: string; retryAfterSeconds: number } }>(LOGIN, {
      e: user.email,
      p: TEST_PASSWORD,
    });
    expect(res.data?.login.__typename).toBe('RateLimitedError');
    // Back-off, not lock-out: the first wait after the free failures is about a second.
    expect(res.data?.login.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(res.data?.login.retryAfterSeconds).toBeLessThanOrEqual(2);
  });

  it('refuses an unknown account with the same error as a wrong password', async () => {
    const res = await gql<{ login: { __typename: string; message: string } }>(LOGIN, {
      e: 'nobody@test.local',
      p: 'whatever it is',
    });
    expect(res.data?.login).toMatchObject({
      __typename: 'UnauthenticatedError',
      message: 'E-mail or password is wrong',
    });
  });

  describe('createUser refuses bad input and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an invalid e-mail', { email: 'not-an-email' }, 'email'],
      ['a short password', { password: 'short-pass' }, 'password'],
      ['an unknown role', { role: 'superuser' }, 'role'],
      ['an empty display name', { displayName: '  ' }, 'displayName'],
    ];
    for (const [label, patch, field] of cases) {
      it(label, async () => {
        const before = await auditCount(db.db);
        const userCount = (await db.db.select({ id: users.id }).from(users)).length;
        const input = {
          email: 'new@test.local',
          password: 'long enough password',
          displayName: 'New',
          role: 'researcher',
          ...patch,
        };
        const error = await db.db
          .transaction((tx) => createUser(tx, { kind: 'system', name: 'test' }, input))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues.map((i) => i.field)).toContain(field);
        expect(await auditCount(db.db)).toBe(before);
        expect((await db.db.select({ id: users.id }).from(users)).length).toBe(userCount);
      });
    }

    it('a duplicate e-mail (any case) is a conflict', async () => {
      const existing = await makeUser(db.db, 'steward');
      const before = await auditCount(db.db);
      const error = await db.db
        .transaction((tx) =>
          createUser(
            tx,
            { kind: 'system', name: 'test' },
            {
              email: existing.email.toUpperCase(),
              password: 'long enough password',
              displayName: 'Dup',
              role: 'researcher',
            },
          ),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(await auditCount(db.db)).toBe(before);
    });
  });

  it('an admin creates an account through GraphQL; the row and its audit event land together', async () => {
    const admin = await makeUser(db.db, 'admin');
    const token = await loginAs(gql, admin);
    const res = await gql<{
      createUser: { __typename: string; data: { id: string; role: string } };
    }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on MutationCreateUserSuccess { data { id role } } ... on Error { code message } } }`,
      {
        input: {
          email: 'dac.member@test.local',
          password: 'a long enough password',
          displayName: 'Member',
          role: 'ethics_board',
        },
      },
      { token },
    );
    expect(res.data?.createUser.__typename).toBe('MutationCreateUserSuccess');
    // Creating the account also sends an e-mail confirmation link (audited after it).
    const event = await lastAuditEventWith(db.db, 'user.create');
    expect(event).toMatchObject({
      action: 'user.create',
      actorId: admin.id,
      targetId: res.data?.createUser.data.id,
    });
    expect(event?.payload).toBe('{"role":"ethics_board"}');
  });

  it('GraphQL validation errors name the field', async () => {
    const admin = await makeUser(db.db, 'admin');
    const token = await loginAs(gql, admin);
    const res = await gql<{ createUser: { __typename: string; fieldErrors: { field: string }[] } }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on ValidationError { fieldErrors { field message } } } }`,
      { input: { email: 'bad', password: 'short', displayName: 'X', role: 'researcher' } },
      { token },
    );
    expect(res.data?.createUser.__typename).toBe('ValidationError');
    expect(res.data?.createUser.fieldErrors.map((f) => f.field).sort()).toEqual([
      'email',
      'password',
    ]);
    void actorOf;
  });
});
