import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { linkTokenOf, recordingMail } from '../../test/recording-mail.js';
import { confirmEmail, loginAs, makeUser, testConfig, useTestApi } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import type { UserRecord } from './accounts.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { passwordResetTokens } from './accounts.tables.js';

const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) {
  __typename ... on MutationRequestPasswordResetSuccess { data } ... on Error { code message } } }`;
const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) {
  __typename ... on MutationResetPasswordSuccess { data } ... on Error { code message } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }`;
const ME = `{ me { id } }`;
const NEW_PASSWORD = 'a brand new passphrase 42';

describe(`password reset by e-mail (${TEST_DRIVER})`, () => {
  let user: UserRecord;
  const mail = recordingMail();
  const fx = useTestApi(testConfig(), { mail: mail.port });
  const nextMail = (count: number) => mail.waitFor(count);

  beforeAll(async () => {
    user = await makeUser(fx.db.db, 'researcher');
    // Reset links go to confirmed addresses only (see the last test).
    await confirmEmail(fx.db.db, user.id);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const res = await fx.gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: 'nobody@test.local',
    });
    expect(res.data?.requestPasswordReset).toEqual({
      __typename: 'MutationRequestPasswordResetSuccess',
      data: true,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(mail.sent).toEqual([]);
    expect(await fx.db.db.$count(passwordResetTokens)).toBe(0);
  });

  it('e-mails a link; the token sets a new password once, ends every session, and is audited', async () => {
    const oldToken = await loginAs(fx.gql, user);
    const res = await fx.gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: user.email.toUpperCase(),
    });
    expect(res.data?.requestPasswordReset.data).toBe(true);
    const message = await nextMail(1);
    expect(message).toMatchObject({ to: user.email, kind: 'password_reset' });
    const token = linkTokenOf(message)!;
    expect(token).toBeTruthy();
    // Only a digest is stored.
    const [row] = await fx.db.db.select().from(passwordResetTokens);
    expect(row!.tokenHash).not.toContain(token);

    const done = await fx.gql<{ resetPassword: { data: boolean } }>(RESET, {
      t: token,
      p: NEW_PASSWORD,
    });
    expect(done.data?.resetPassword.data).toBe(true);
    expect((await fx.gql<{ me: unknown }>(ME, {}, { token: oldToken })).data?.me).toBeNull();
    const login = await fx.gql<{ login: { __typename: string } }>(LOGIN, {
      e: user.email,
      p: NEW_PASSWORD,
    });
    expect(login.data?.login.__typename).toBe('MutationLoginSuccess');

    const again = await fx.gql<{ resetPassword: { code: string } }>(RESET, {
      t: token,
      p: 'yet another passphrase 43',
    });
    expect(again.data?.resetPassword.code).toBe('VALIDATION');
    const actions = (await fx.db.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.password_reset.request', 'auth.password_reset']),
    );
  });

  it('refuses an expired token, a made-up one and a weak password, changing nothing', async () => {
    await fx.gql(REQUEST, { e: user.email });
    const token = linkTokenOf(await nextMail(2))!;
    const weak = await fx.gql<{ resetPassword: { code: string } }>(RESET, { t: token, p: 'short' });
    expect(weak.data?.resetPassword.code).toBe('VALIDATION');
    const madeUp = await fx.gql<{ resetPassword: { code: string } }>(RESET, {
      t: 'x'.repeat(43),
      p: NEW_PASSWORD + '!',
    });
    expect(madeUp.data?.resetPassword.code).toBe('VALIDATION');
    await fx.db.db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(passwordResetTokens.userId, user.id));
    const expired = await fx.gql<{ resetPassword: { code: string } }>(RESET, {
      t: token,
      p: NEW_PASSWORD + '!',
    });
    expect(expired.data?.resetPassword.code).toBe('VALIDATION');
    // The password is still the one set above.
    const login = await fx.gql<{ login: { __typename: string } }>(LOGIN, {
      e: user.email,
      p: NEW_PASSWORD,
    });
    expect(login.data?.login.__typename).toBe('MutationLoginSuccess');
  });

  it('slows down repeated requests for one address', async () => {
    let limited = false;
    for (let i = 0; i < 12 && !limited; i += 1) {
      const res = await fx.gql<{ requestPasswordReset: { code?: string } }>(REQUEST, {
        e: 'flood@test.local',
      });
      limited = res.data?.requestPasswordReset.code === 'RATE_LIMITED';
    }
    expect(limited).toBe(true);
  });

  it('sends no reset link to an address that was never confirmed, with the same answer', async () => {
    const unconfirmed = await makeUser(fx.db.db, 'researcher');
    const before = mail.sent.length;
    const res = await fx.gql<{ requestPasswordReset: { data: boolean } }>(REQUEST, {
      e: unconfirmed.email,
    });
    expect(res.data?.requestPasswordReset.data).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(mail.sent.length).toBe(before);
    const tokens = await fx.db.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, unconfirmed.id));
    expect(tokens).toEqual([]);
  });
});
