import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { linkTokenOf, recordingMail } from '../../test/recording-mail.js';
import {
  confirmEmail,
  loginAs,
  makeUser,
  testConfig,
  TEST_PASSWORD,
  useTestApi,
} from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { auditEvents } from '../audit/audit.tables.js';
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
  const mail = recordingMail();
  const fx = useTestApi(testConfig(), { mail: mail.port });
  const mailTo = (to: string) => mail.waitFor(1, to);
  const verifiedAt = async (id: string) =>
    (await fx.db.db.select().from(users).where(eq(users.id, id)))[0]!.emailVerifiedAt;
  const verify = async (token: string, auth: { token?: string } = {}) => {
    const res = await fx.gql<{ verifyEmail: { __typename: string; message?: string } }>(
      VERIFY,
      { t: token },
      auth,
    );
    return res.data!.verifyEmail;
  };

  it('mails a link when an admin creates an account; the link confirms the address once', async () => {
    const admin = await loginAs(fx.gql, await makeUser(fx.db.db, 'admin'));
    const email = `new-${Date.now()}@test.local`;
    const created = await fx.gql<{
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
    const token = linkTokenOf(message)!;
    const [row] = await fx.db.db
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
      await fx.db.db.select().from(auditEvents).where(eq(auditEvents.targetId, id))
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.email_verify.send', 'auth.email_verify']),
    );
  });

  it('refuses an expired, a tampered and another user’s token, changing nothing', async () => {
    const alice = await makeUser(fx.db.db, 'researcher');
    const bob = await makeUser(fx.db.db, 'researcher');
    await fx.gql(REQUEST, { e: alice.email });
    await fx.gql(REQUEST, { e: bob.email });
    const aliceToken = linkTokenOf(await mailTo(alice.email))!;
    const bobToken = linkTokenOf(await mailTo(bob.email))!;

    // Tampered: one character changed.
    const last = aliceToken.slice(-1) === 'A' ? 'B' : 'A';
    expect((await verify(aliceToken.slice(0, -1) + last)).__typename).toBe('ValidationError');
    // Another user's token, used from Alice's session.
    const aliceSession = await loginAs(fx.gql, alice);
    const other = await verify(bobToken, { token: aliceSession });
    expect(other.__typename).toBe('ValidationError');
    expect(other.message).toContain('another account');
    expect(await verifiedAt(bob.id)).toBeNull();
    expect(await verifiedAt(alice.id)).toBeNull();
    // Expired.
    await fx.db.db
      .update(emailVerificationTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailVerificationTokens.userId, alice.id));
    expect((await verify(aliceToken, { token: aliceSession })).__typename).toBe('ValidationError');
    expect(await verifiedAt(alice.id)).toBeNull();
    const [unused] = await fx.db.db
      .select()
      .from(emailVerificationTokens)
      .where(eq(emailVerificationTokens.userId, alice.id));
    expect(unused!.usedAt).toBeNull();
    const failures = await fx.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.email_verify.failed'));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    // Bob's own link still works for Bob.
    expect((await verify(bobToken)).__typename).toBe('MutationVerifyEmailSuccess');
  });

  it('answers "resend" the same for an unknown, a confirmed and an unconfirmed address', async () => {
    const confirmed = await makeUser(fx.db.db, 'steward');
    await confirmEmail(fx.db.db, confirmed.id);
    const unconfirmed = await makeUser(fx.db.db, 'steward');
    const answer = async (e: string) =>
      (await fx.gql<{ requestEmailVerification: unknown }>(REQUEST, { e })).data!
        .requestEmailVerification;
    const unknown = await answer('nobody@test.local');
    expect(await answer(confirmed.email)).toEqual(unknown);
    expect(await answer(unconfirmed.email)).toEqual(unknown);
    expect(unknown).toEqual({ __typename: 'MutationRequestEmailVerificationSuccess', data: true });
    await mailTo(unconfirmed.email);
    await new Promise((r) => setTimeout(r, 50));
    expect(mail.sent.some((m) => m.to === 'nobody@test.local' || m.to === confirmed.email)).toBe(
      false,
    );
  });

  it('a changed address is unconfirmed again, and a link for the old address stops working', async () => {
    const user = await makeUser(fx.db.db, 'researcher');
    await fx.gql(REQUEST, { e: user.email });
    const oldToken = linkTokenOf(await mailTo(user.email))!;
    const session = await loginAs(fx.gql, user);
    const wrong = await fx.gql<{ changeEmail: { __typename: string } }>(
      CHANGE,
      { p: 'not the password', e: 'elsewhere@test.local' },
      { token: session },
    );
    expect(wrong.data!.changeEmail.__typename).toBe('ValidationError');
    const newEmail = `moved-${Date.now()}@test.local`;
    const changed = await fx.gql<{ changeEmail: { __typename: string } }>(
      CHANGE,
      { p: TEST_PASSWORD, e: newEmail },
      { token: session },
    );
    expect(changed.data!.changeEmail.__typename).toBe('MutationChangeEmailSuccess');
    expect((await verify(oldToken, { token: session })).__typename).toBe('ValidationError');
    expect(await verifiedAt(user.id)).toBeNull();
    const newToken = linkTokenOf(await mailTo(newEmail))!;
    expect((await verify(newToken, { token: session })).__typename).toBe(
      'MutationVerifyEmailSuccess',
    );
    const [row] = await fx.db.db
      .select()
      .from(users)
      .where(and(eq(users.id, user.id), eq(users.email, newEmail)));
    expect(row!.emailVerifiedAt).not.toBeNull();
  });
});
