import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import { TEST_PASSWORD, createTestApi, loginAs, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { auditEvents } from '../audit/audit.tables.js';
import { SESSION_COOKIE } from '../accounts/session-token.js';
import { sessionAuth } from '../identity/identity.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { passkeySignInChallenges } from './passkeys.tables.js';

const REG_OPTIONS = `mutation { passkeyRegistrationOptions }`;
const ADD = `mutation($r: String!, $n: String!) { addPasskey(response: $r, name: $n) {
  __typename ... on Error { code message } } }`;
const OPTIONS = `mutation { passkeySignInOptions {
  __typename ... on MutationPasskeySignInOptionsSuccess { data } ... on Error { code message } } }`;
const SIGN_IN = `mutation($r: String!) { signInWithPasskey(response: $r) {
  __typename ... on MutationSignInWithPasskeySuccess { data { token user { email role } } }
  ... on Error { code message } } }`;
const ME = `{ me { email } }`;

/** The sign-in method an audit event's payload (canonical JSON) names. */
const methodOf = (payload: unknown): unknown =>
  (JSON.parse(String(payload)) as { method?: unknown }).method;

type SignInResult = {
  signInWithPasskey: {
    __typename: string;
    data?: { token: string; user: { email: string; role: string } };
    code?: string;
    message?: string;
  };
};

describe(`sign in with a passkey (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  const rp = testConfig().webauthn;
  const device = new SoftAuthenticator(rp);
  const email = 'passkey-sign-in@test.local';

  const challenge = async (): Promise<string> => {
    const res = await gql<{ passkeySignInOptions: { data: string } }>(OPTIONS);
    const options = JSON.parse(res.data!.passkeySignInOptions.data) as {
      challenge: string;
      rpId: string;
      allowCredentials?: unknown[];
    };
    // No account is named: the browser offers the passkeys it holds for this site.
    expect(options.rpId).toBe(rp.rp_id);
    expect(options.allowCredentials ?? []).toEqual([]);
    return options.challenge;
  };
  const signIn = (response: unknown) => gql<SignInResult>(SIGN_IN, { r: JSON.stringify(response) });

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const operator = systemActor('test');
    await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1985 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'P' });
    });
    const token = await loginAs(gql, { email } as never);
    const reg = await gql<{ passkeyRegistrationOptions: string }>(REG_OPTIONS, {}, { token });
    const { challenge: c } = JSON.parse(reg.data!.passkeyRegistrationOptions) as {
      challenge: string;
    };
    const added = await gql(ADD, { r: JSON.stringify(device.register(c)), n: 'Phone' }, { token });
    expect(added.errors).toBeUndefined();
  });
  afterAll(() => db.dispose());

  it('signs the participant in: a session whose method is the passkey, audited', async () => {
    const res = await signIn(device.assert(await challenge()));
    const payload = res.data!.signInWithPasskey;
    expect(payload.__typename).toBe('MutationSignInWithPasskeySuccess');
    expect(payload.data!.user.role).toBe('participant');
    expect(res.headers.get('set-cookie')).toContain(`${SESSION_COOKIE}=${payload.data!.token}`);
    const me = await gql<{ me: { email: string } }>(ME, {}, { token: payload.data!.token });
    expect(me.data?.me.email).toBe(email);
    const methods = await db.db.select().from(sessionAuth);
    expect(methods.some((m) => m.amr.includes('hwk') && m.mfaAt !== null)).toBe(true);
    const logins = await db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.login'));
    expect(logins.some((e) => methodOf(e.payload) === 'passkey')).toBe(true);
  });

  it('a challenge answers once: replaying the same assertion is refused', async () => {
    const assertion = device.assert(await challenge());
    expect((await signIn(assertion)).data!.signInWithPasskey.__typename).toBe(
      'MutationSignInWithPasskeySuccess',
    );
    const replay = (await signIn(assertion)).data!.signInWithPasskey;
    expect(replay.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a challenge the server never gave, another origin, and an unknown passkey', async () => {
    const passkeyFailures = async () =>
      (
        await db.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.login_failed'))
      ).filter((e) => methodOf(e.payload) === 'passkey').length;
    const failuresBefore = await passkeyFailures();
    const sessionsBefore = (await db.db.select().from(sessionAuth)).length;
    const made = (await signIn(device.assert('bm90LWEtcmVhbC1jaGFsbGVuZ2U'))).data!;
    expect(made.signInWithPasskey.code).toBe('UNAUTHENTICATED');
    const phished = (
      await signIn(device.assert(await challenge(), { origin: 'https://evil.example' }))
    ).data!;
    expect(phished.signInWithPasskey.code).toBe('UNAUTHENTICATED');
    const stranger = new SoftAuthenticator(rp);
    const unknown = (await signIn(stranger.assert(await challenge()))).data!;
    expect(unknown.signInWithPasskey.code).toBe('UNAUTHENTICATED');
    expect(unknown.signInWithPasskey.message).toMatch(/could not sign you in/);
    // Nothing was opened, and each failure is on the audit trail.
    expect((await db.db.select().from(sessionAuth)).length).toBe(sessionsBefore);
    expect((await passkeyFailures()) - failuresBefore).toBe(3);
  });

  it('refuses text that is not a WebAuthn response with a validation error', async () => {
    const res = await gql<SignInResult>(SIGN_IN, { r: 'not json' });
    expect(res.data!.signInWithPasskey.code).toBe('VALIDATION');
    const shapeless = await gql<SignInResult>(SIGN_IN, { r: JSON.stringify({ id: 'x' }) });
    expect(shapeless.data!.signInWithPasskey.code).toBe('VALIDATION');
  });

  it('expired challenges are cleared when new ones are made', async () => {
    await db.db
      .insert(passkeySignInChallenges)
      .values({ challenge: 'stale', expiresAt: new Date(Date.now() - 1_000) });
    await challenge();
    const stale = await db.db
      .select()
      .from(passkeySignInChallenges)
      .where(eq(passkeySignInChallenges.challenge, 'stale'));
    expect(stale).toEqual([]);
  });
});
