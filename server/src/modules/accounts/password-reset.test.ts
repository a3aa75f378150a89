import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../app/app-services.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import type { UserRecord } from './accounts.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import type { MailMessage, MailPort } from '../notifications/mail-port.js';
import { passwordResetTokens, users } from './accounts.tables.js';

const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) {
  __typename ... on MutationRequestPasswordResetSuccess { data } ... on Error { code message } } }`;
const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) {
  __typename ... on MutationResetPasswordSuccess { data } ... on Error { code message } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }`;
const ME = `{ me { id } }`;
const NEW_PASSWORD = 'a brand new passphrase 42';

describe(`password reset by e-mail (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let user: UserRecord;
  const sent: MailMessage[] = [];
  const mail: MailPort = {
    kind: 'log',
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
    close: () => undefined,
  };
  /** Waits for the mail the API sends after answering. */
  const nextMail = async (count: number) => {
    for (let i = 0; i < 100 && sent.length < count; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    return sent[count - 1];
  };
  const tokenOf = (m: MailMessage | undefined) => /#token=([\w-]+)/.exec(m?.text ?? '')?.[1];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig();
    gql = createTestApi(db.db, config, createAppServices(db.db, config, { mail }));
    user = await makeUser(db.db, 'researcher');
    // Reset links go to confirmed addresses only (see the last test).
    await db.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
  });
  afterAll(() => db.dispose());

  it('answers the same for an unknown address and sends nothing', async () => {
    const res = await gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: 'nobody@test.local',
    });
    expect(res.data?.requestPasswordReset).toEqual({
      __typename: 'MutationRequestPasswordResetSuccess',
      data: true,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual([]);
    expect(await db.db.$count(passwordResetTokens)).toBe(0);
  });

  it('e-mails a link; the token sets a new password once, ends every session, and is audited', async () => {
    const oldToken = await loginAs(gql, user);
    const res = await gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: user.email.toUpperCase(),
    });
    expect(res.data?.requestPasswordReset.data).toBe(true);
    const message = await nextMail(1);
    expect(message).toMatchObject({ to: user.email, kind: 'password_reset' });
    const token = tokenOf(message)!;
    expect(token).toBeTruthy();
    // Only a digest is stored.
    const [row] = await db.db.select().from(passwordResetTokens);
    expect(row!.tokenHash).not.toContain(token);

    const done = await gql<{ resetPassword: { data: boolean } }>(RESET, {
      t: token,
      p: NEW_PASSWORD,
    });
    expect(done.data?.resetPassword.data).toBe(true);
    expect((await gql<{ me: unknown }>(ME, {}, { token: oldToken })).data?.me).toBeNull();
    const login = await gql<{ login: { __typename: string } }>(LOGIN, {
      e: user.email,
      p: NEW_PASSWORD,
    });
    expect(login.data?.login.__typename).toBe('MutationLoginSuccess');

    const again = await gql<{ resetPassword: { code: string } }>(RESET, {
      t: token,
      p: 'yet another passphrase 43',
    });
    expect(again.data?.resetPassword.code).toBe('VALIDATION');
    const actions = (await db.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.password_reset.request', 'auth.password_reset']),
    );
  });

  it('refuses an expired token, a made-up one and a weak password, changing nothing', async () => {
    await gql(REQUEST, { e: user.email });
    const token = tokenOf(await nextMail(2))!;
    const weak = await gql<{ resetPassword: { code: string } }>(RESET, { t: token, p: 'short' });
    expect(weak.data?.resetPassword.code).toBe('VALIDATION');
    const madeUp = await gql<{ resetPassword: { code: string } }>(RESET, {
      t: 'x'.repeat(43),
      p: NEW_PASSWORD + '!',
    });
    expect(madeUp.data?.resetPassword.code).toBe('VALIDATION');
    await db.db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(passwordResetTokens.userId, user.id));
    const expired = await gql<{ resetPassword: { code: string } }>(RESET, {
      t: token,
      p: NEW_PASSWORD + '!',
    });
    expect(expired.data?.resetPassword.code).toBe('VALIDATION');
    // The password is still the one set above.
    const login = await gql<{ login: { __typename: string } }>(LOGIN, {
      e: user.email,
      p: NEW_PASSWORD,
    });
    expect(login.data?.login.__typename).toBe('MutationLoginSuccess');
  });

  it('slows down repeated requests for one address', async () => {
    let limited = false;
    for (let i = 0; i < 12 && !limited; i += 1) {
      const res = await gql<{ requestPasswordReset: { code?: string } }>(REQUEST, {
        e: 'flood@test.local',
      });
      limited = res.data?.requestPasswordReset.code === 'RATE_LIMITED';
    }
    expect(limited).toBe(true);
  });

  it('sends no reset link to an address that was never confirmed, with the same answer', async () => {
    const unconfirmed = await makeUser(db.db, 'researcher');
    const before = sent.length;
    const res = await gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: unconfirmed.email,
    });
    expect(res.data?.requestPasswordReset.data).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.length).toBe(before);
    const tokens = await db.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, unconfirmed.id));
    expect(tokens).toEqual([]);
  });
});
