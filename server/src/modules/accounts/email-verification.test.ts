import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../app/app-services.js';
import {
  createTestApi,
  loginAs,
  makeUser,
  testConfig,
  TEST_PASSWORD,
} from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { auditEvents } from '../audit/audit.tables.js';
import type { MailMessage, MailPort } from '../notifications/mail-port.js';
import { emailVerificationTokens, users } from './accounts.tables.js';

const REQUEST = `mutation($e: String!) { requestEmailVerification(email: $e) {
  __typename ... on MutationRequestEmailVerificationSuccess { data } ... on Error { message } } }`;
const VERIFY = `mutation($t: String!) { verifyEmail(token: $t) {
  __typename ... on Error { message } } }`;
const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) {
  __typename ... on MutationCreateUserSuccess { data { id emailVerifiedAt } } ... on Error { message } } }`;
const CHANGE = `mutation($p: String!, $e: String!) { changeEmail(currentPassword: $p, email: $e) {
  __typename ... on Error { message } } }`;

describe(`e-mail verification (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  const sent: MailMessage[] = [];
  const mail: MailPort = {
    kind: 'log',
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
    close: () => undefined,
  };
  /** Waits for the mail to `to` the API sends after answering. */
  const mailTo = async (to: string, count = 1) => {
    for (let i = 0; i < 100 && sent.filter((m) => m.to === to).length < count; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    return sent.filter((m) => m.to === to)[count - 1];
  };
  const tokenOf = (m: MailMessage | undefined) => /#token=([\w-]+)/.exec(m?.text ?? '')?.[1];
  const verifiedAt = async (id: string) =>
    (await db.db.select().from(users).where(eq(users.id, id)))[0]!.emailVerifiedAt;
  const verify = async (token: string, auth: { token?: string } = {}) => {
    const res = await gql<{ verifyEmail: { __typename: string; message?: string } }>(
      VERIFY,
      { t: token },
      auth,
    );
    return res.data!.verifyEmail;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig();
    gql = createTestApi(db.db, config, createAppServices(db.db, config, { mail }));
  });
  afterAll(() => db.dispose());

  it('mails a link when an admin creates an account; the link confirms the address once', async () => {
    const admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    const email = `new-${Date.now()}@test.local`;
    const created = await gql<{
      createUser: { data: { id: string; emailVerifiedAt: string | null } };
    }>(
      CREATE,
      { i: { email, password: TEST_PASSWORD, displayName: 'New', role: 'researcher' } },
      { token: admin },
    );
    const { id, emailVerifiedAt } = created.data!.createUser.data;
    expect(emailVerifiedAt).toBeNull();
    const message = await mailTo(email);
    expect(message).toMatchObject({ kind: 'email_verification' });
    const token = tokenOf(message)!;
    const [row] = await db.db
      .select()
      .from(emailVerificationTokens)
      .where(eq(emailVerificationTokens.userId, id));
    expect(row!.tokenHash).not.toContain(token);
    expect((await verify(token)).__typename).toBe('MutationVerifyEmailSuccess');
    expect(await verifiedAt(id)).not.toBeNull();
    // Reused: refused, clearly.
    const again = await verify(token);
    expect(again.__typename).toBe('ValidationError');
    expect(again.message).toContain('not valid');
    const actions = (
      await db.db.select().from(auditEvents).where(eq(auditEvents.targetId, id))
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.email_verify.send', 'auth.email_verify']),
    );
  });

  it('refuses an expired, a tampered and another user’s token, changing nothing', async () => {
    const alice = await makeUser(db.db, 'researcher');
    const bob = await makeUser(db.db, 'researcher');
    await gql(REQUEST, { e: alice.email });
    await gql(REQUEST, { e: bob.email });
    const aliceToken = tokenOf(await mailTo(alice.email))!;
    const bobToken = tokenOf(await mailTo(bob.email))!;

    // Tampered: one character changed.
    const last = aliceToken.slice(-1) === 'A' ? 'B' : 'A';
    expect((await verify(aliceToken.slice(0, -1) + last)).__typename).toBe('ValidationError');
    // Another user's token, used from Alice's session.
    const aliceSession = await loginAs(gql, alice);
    const other = await verify(bobToken, { token: aliceSession });
    expect(other.__typename).toBe('ValidationError');
    expect(other.message).toContain('another account');
    expect(await verifiedAt(bob.id)).toBeNull();
    expect(await verifiedAt(alice.id)).toBeNull();
    // Expired.
    await db.db
      .update(emailVerificationTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailVerificationTokens.userId, alice.id));
    expect((await verify(aliceToken, { token: aliceSession })).__typename).toBe('ValidationError');
    expect(await verifiedAt(alice.id)).toBeNull();
    const [unused] = await db.db
      .select()
      .from(emailVerificationTokens)
      .where(eq(emailVerificationTokens.userId, alice.id));
    expect(unused!.usedAt).toBeNull();
    const failures = await db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.email_verify.failed'));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    // Bob's own link still works for Bob.
    expect((await verify(bobToken)).__typename).toBe('MutationVerifyEmailSuccess');
  });

  it('answers "resend" the same for an unknown, a confirmed and an unconfirmed address', async () => {
    const confirmed = await makeUser(db.db, 'steward');
    await db.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, confirmed.id));
    const unconfirmed = await makeUser(db.db, 'steward');
    const answer = async (e: string) =>
      (await gql<{ requestEmailVerification: unknown }>(REQUEST, { e })).data!
        .requestEmailVerification;
    const unknown = await answer('nobody@test.local');
    expect(await answer(confirmed.email)).toEqual(unknown);
    expect(await answer(unconfirmed.email)).toEqual(unknown);
    expect(unknown).toEqual({ __typename: 'MutationRequestEmailVerificationSuccess', data: true });
    await mailTo(unconfirmed.email);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.some((m) => m.to === 'nobody@test.local' || m.to === confirmed.email)).toBe(false);
  });

  it('a changed address is unconfirmed again, and a link for the old address stops working', async () => {
    const user = await makeUser(db.db, 'researcher');
    await gql(REQUEST, { e: user.email });
    const oldToken = tokenOf(await mailTo(user.email))!;
    const session = await loginAs(gql, user);
    const wrong = await gql<{ changeEmail: { __typename: string } }>(
      CHANGE,
      { p: 'not the password', e: 'elsewhere@test.local' },
      { token: session },
    );
    expect(wrong.data!.changeEmail.__typename).toBe('ValidationError');
    const newEmail = `moved-${Date.now()}@test.local`;
    const changed = await gql<{ changeEmail: { __typename: string } }>(
      CHANGE,
      { p: TEST_PASSWORD, e: newEmail },
      { token: session },
    );
    expect(changed.data!.changeEmail.__typename).toBe('MutationChangeEmailSuccess');
    expect((await verify(oldToken, { token: session })).__typename).toBe('ValidationError');
    expect(await verifiedAt(user.id)).toBeNull();
    const newToken = tokenOf(await mailTo(newEmail))!;
    expect((await verify(newToken, { token: session })).__typename).toBe(
      'MutationVerifyEmailSuccess',
    );
    const [row] = await db.db
      .select()
      .from(users)
      .where(and(eq(users.id, user.id), eq(users.email, newEmail)));
    expect(row!.emailVerifiedAt).not.toBeNull();
  });
});
