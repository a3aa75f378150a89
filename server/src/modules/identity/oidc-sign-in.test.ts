import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../accounts/accounts.tables.js';
import { auditEvents } from '../audit/audit.tables.js';
import { createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { signInAtProvider, startOidcFixture, type OidcFixture } from '../../test/oidc-fixture.js';
import { oidcFlows, oidcIdentities } from './identity.tables.js';

let db: TestDatabase;
let fx: OidcFixture;
let gql: ReturnType<typeof createTestApi>;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await startOidcFixture();
  gql = createTestApi(db.db, fx.config);
});
afterAll(async () => {
  await fx?.close();
  await db?.dispose();
});

interface Flow {
  authorizationUrl: string;
  flowToken: string;
}

async function begin(providerId: string): Promise<Flow> {
  const res = await gql<{ beginInstitutionSignIn: { data?: Flow } }>(
    `mutation($p: ID!) { beginInstitutionSignIn(providerId: $p) { ... on MutationBeginInstitutionSignInSuccess { data { authorizationUrl flowToken } } } }`,
    { p: providerId },
  );
  return res.data!.beginInstitutionSignIn.data!;
}

interface Completion {
  __typename: string;
  code?: string;
  message?: string;
  data?: {
    token: string | null;
    linked: boolean;
    user: { id: string; email: string; role: string };
  };
}

async function complete(
  callbackUrl: string,
  flowToken: string,
  token?: string,
): Promise<Completion> {
  const res = await gql<{ completeInstitutionSignIn: Completion }>(
    `mutation($u: String!, $f: String!) { completeInstitutionSignIn(callbackUrl: $u, flowToken: $f) {
      __typename
      ... on Error { code message }
      ... on MutationCompleteInstitutionSignInSuccess { data { token linked user { id email role } } } } }`,
    { u: callbackUrl, f: flowToken },
    token ? { token } : {},
  );
  return res.data!.completeInstitutionSignIn;
}

async function failures(): Promise<Record<string, unknown>[]> {
  const rows = await db.db
    .select({ payload: auditEvents.payload })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'auth.oidc_failed'))
    .orderBy(asc(auditEvents.seq));
  return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}

async function lastFailureReason(): Promise<unknown> {
  return (await failures()).at(-1)?.reason;
}

async function lastFailureDetail(): Promise<string> {
  return String((await failures()).at(-1)?.detail);
}

async function signInAs(providerId: string, email: string): Promise<Completion> {
  const flow = await begin(providerId);
  const callback = await signInAtProvider(flow.authorizationUrl, email, 'demo-password');
  return complete(callback, flow.flowToken);
}

describe('institutional sign-in against a real OpenID provider', () => {
  it('lists the configured institutions for the sign-in page, and nothing else', async () => {
    const res = await gql<{ signInProviders: { id: string; displayName: string }[] }>(
      `{ signInProviders { id displayName } }`,
    );
    expect(res.data!.signInProviders).toEqual([
      { id: 'demo-university', displayName: 'Demo University' },
      { id: 'second-institute', displayName: 'Second Institute' },
    ]);
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const flow = await begin('demo-university');
    const url = new URL(flow.authorizationUrl);
    expect(url.origin).toBe(fx.demo.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('code_challenge')).not.toBe(url.searchParams.get('state'));
  });

  it('creates an active researcher account on first sign-in and reuses it afterwards', async () => {
    const first = await signInAs('demo-university', 'rhea@demo-university.example');
    expect(first.__typename).toBe('MutationCompleteInstitutionSignInSuccess');
    expect(first.data!.user).toMatchObject({ role: 'researcher' });
    const me = await gql<{ me: { email: string } }>(
      `{ me { email } }`,
      {},
      { token: first.data!.token! },
    );
    expect(me.data!.me.email).toBe('rhea@demo-university.example');
    const again = await signInAs('demo-university', 'rhea@demo-university.example');
    expect(again.data!.user.id).toBe(first.data!.user.id);
    const [identity] = await db.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.userId, first.data!.user.id));
    expect(identity).toMatchObject({ providerId: 'demo-university', issuer: fx.demo.issuer });
    expect(identity!.affiliations).toContain('member@demo-university.example');
  });

  it('leaves a new account waiting for approval where the policy says pending', async () => {
    const result = await signInAs('second-institute', 'sam@second-institute.example');
    expect(result).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const [row] = await db.db
      .select()
      .from(users)
      .where(eq(users.email, 'sam@second-institute.example'));
    expect(row!.disabledAt).not.toBeNull();
    const retry = await signInAs('second-institute', 'sam@second-institute.example');
    expect(retry.code).toBe('FORBIDDEN');
  });

  it('refuses a callback whose state was changed, and opens no session', async () => {
    const flow = await begin('demo-university');
    const callback = new URL(
      await signInAtProvider(
        flow.authorizationUrl,
        'rhea@demo-university.example',
        'demo-password',
      ),
    );
    callback.searchParams.set('state', 'x'.repeat(43));
    const result = await complete(callback.toString(), flow.flowToken);
    expect(result.code).toBe('UNAUTHENTICATED');
    expect(await lastFailureReason()).toBe('state');
  });

  it('refuses a callback brought by another browser (wrong flow token)', async () => {
    const flow = await begin('demo-university');
    const other = await begin('demo-university');
    const callback = await signInAtProvider(
      flow.authorizationUrl,
      'rhea@demo-university.example',
      'demo-password',
    );
    expect((await complete(callback, other.flowToken)).code).toBe('UNAUTHENTICATED');
    // The rightful browser can still finish: a wrong token does not burn the flow.
    expect((await complete(callback, flow.flowToken)).__typename).toBe(
      'MutationCompleteInstitutionSignInSuccess',
    );
  });

  it('refuses a replayed callback, and a used code carried into a new flow', async () => {
    const flow = await begin('demo-university');
    const callback = await signInAtProvider(
      flow.authorizationUrl,
      'rhea@demo-university.example',
      'demo-password',
    );
    expect((await complete(callback, flow.flowToken)).__typename).toBe(
      'MutationCompleteInstitutionSignInSuccess',
    );
    expect((await complete(callback, flow.flowToken)).code).toBe('UNAUTHENTICATED');
    expect(await lastFailureReason()).toBe('state');
    // The same code under a fresh flow's state: the provider refuses it (used, and PKCE differs).
    const fresh = await begin('demo-university');
    const replay = new URL(callback);
    replay.searchParams.set('state', new URL(fresh.authorizationUrl).searchParams.get('state')!);
    expect((await complete(replay.toString(), fresh.flowToken)).code).toBe('UNAUTHENTICATED');
    expect(await lastFailureReason()).toBe('OAUTH_RESPONSE_BODY_ERROR');
  });

  it('refuses an ID token whose nonce is not the one this flow sent', async () => {
    const flow = await begin('demo-university');
    const callback = await signInAtProvider(
      flow.authorizationUrl,
      'rhea@demo-university.example',
      'demo-password',
    );
    const state = new URL(callback).searchParams.get('state')!;
    await db.db
      .update(oidcFlows)
      .set({ nonce: 'a-different-nonce-value-0123456789' })
      .where(eq(oidcFlows.state, state));
    expect((await complete(callback, flow.flowToken)).code).toBe('UNAUTHENTICATED');
    expect(await lastFailureReason()).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED');
  });

  it('refuses a code from a provider that is not configured (issuer check)', async () => {
    const flow = await begin('demo-university');
    const state = new URL(flow.authorizationUrl).searchParams.get('state')!;
    // A real sign-in at the rogue provider, redirected to our callback with our flow's state.
    const rogueUrl = new URL(flow.authorizationUrl.replace(fx.demo.issuer, fx.rogue.issuer));
    const rogueCallback = new URL(
      await signInAtProvider(rogueUrl.toString(), 'rhea@demo-university.example', 'demo-password'),
    );
    expect(rogueCallback.searchParams.get('iss')).toBe(fx.rogue.issuer);
    rogueCallback.searchParams.set('state', state);
    expect((await complete(rogueCallback.toString(), flow.flowToken)).code).toBe('UNAUTHENTICATED');
    expect(await lastFailureDetail()).toMatch(/"iss" \(issuer\)/);
  });

  it('refuses an unsigned (alg: none) ID token and one signed with a key the provider does not publish', async () => {
    const unsigned = (idToken: string) => {
      const payload = Buffer.from(JSON.stringify(decodeJwt(idToken))).toString('base64url');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${header}.${payload}.`;
    };
    fx.demo.tamperTokenResponses((body) => ({
      ...body,
      id_token: unsigned(String(body.id_token)),
    }));
    try {
      const result = await signInAs('demo-university', 'rhea@demo-university.example');
      expect(result.code).toBe('UNAUTHENTICATED');
      expect(await lastFailureDetail()).toMatch(/"alg"/);
    } finally {
      fx.demo.tamperTokenResponses(null);
    }
    const { privateKey } = await generateKeyPair('RS256');
    let forged = '';
    fx.demo.tamperTokenResponses((body) => ({ ...body, id_token: forged }));
    try {
      const flow = await begin('demo-university');
      const callback = await signInAtProvider(
        flow.authorizationUrl,
        'rhea@demo-university.example',
        'demo-password',
      );
      const nonce = (
        await db.db
          .select()
          .from(oidcFlows)
          .where(eq(oidcFlows.state, new URL(callback).searchParams.get('state')!))
      )[0]!.nonce;
      forged = await new SignJWT({ nonce, email: 'rhea@demo-university.example' })
        .setProtectedHeader({ alg: 'RS256', kid: 'not-published' })
        .setIssuer(fx.demo.issuer)
        .setSubject('rhea-7f3c')
        .setAudience('consentome')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await complete(callback, flow.flowToken)).code).toBe('UNAUTHENTICATED');
      expect(await lastFailureReason()).toBe('OAUTH_KEY_SELECTION_FAILED');
    } finally {
      fx.demo.tamperTokenResponses(null);
    }
  });

  it('keeps working when the provider rotates its signing keys between sign-ins', async () => {
    const before = await signInAs('demo-university', 'rhea@demo-university.example');
    const keysBefore = await (await fetch(`${fx.demo.issuer}/jwks`)).json();
    await fx.demo.rotateKeys();
    const keysAfter = await (await fetch(`${fx.demo.issuer}/jwks`)).json();
    expect(keysAfter).not.toEqual(keysBefore);
    const after = await signInAs('demo-university', 'rhea@demo-university.example');
    expect(after.__typename).toBe('MutationCompleteInstitutionSignInSuccess');
    expect(after.data!.user.id).toBe(before.data!.user.id);
  });

  it('links an institution to a password account only from its session, after the password again', async () => {
    const owner = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, owner);
    const wrong = await gql<{ beginInstitutionLink: { __typename: string } }>(
      `mutation { beginInstitutionLink(providerId: "demo-university", password: "not the password") { __typename } }`,
      {},
      { token },
    );
    expect(wrong.data!.beginInstitutionLink.__typename).toBe('ValidationError');
    const start = await gql<{ beginInstitutionLink: { data: Flow } }>(
      `mutation($p: String!) { beginInstitutionLink(providerId: "demo-university", password: $p) { ... on MutationBeginInstitutionLinkSuccess { data { authorizationUrl flowToken } } } }`,
      { p: 'correct horse battery staple' },
      { token },
    );
    const flow = start.data!.beginInstitutionLink.data;
    expect(new URL(flow.authorizationUrl).searchParams.get('prompt')).toBe('login');
    const callback = await signInAtProvider(
      flow.authorizationUrl,
      'otto@demo-university.example',
      'demo-password',
    );
    // Without the session that started it, the link is refused (and the flow is spent).
    expect((await complete(callback, flow.flowToken)).code).toBe('UNAUTHENTICATED');
    expect(await lastFailureReason()).toBe('link_session');

    const retry = await gql<{ beginInstitutionLink: { data: Flow } }>(
      `mutation($p: String!) { beginInstitutionLink(providerId: "demo-university", password: $p) { ... on MutationBeginInstitutionLinkSuccess { data { authorizationUrl flowToken } } } }`,
      { p: 'correct horse battery staple' },
      { token },
    );
    const again = retry.data!.beginInstitutionLink.data;
    const cb2 = await signInAtProvider(
      again.authorizationUrl,
      'otto@demo-university.example',
      'demo-password',
    );
    const linked = await complete(cb2, again.flowToken, token);
    expect(linked.data).toMatchObject({ linked: true, token: null, user: { id: owner.id } });
    // Otto now signs in to the password account through Demo University.
    const viaProvider = await signInAs('demo-university', 'otto@demo-university.example');
    expect(viaProvider.data!.user.id).toBe(owner.id);
  });

  it('refuses to link an identity that is already linked to another account', async () => {
    const other = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, other);
    const start = await gql<{ beginInstitutionLink: { data: Flow } }>(
      `mutation($p: String!) { beginInstitutionLink(providerId: "demo-university", password: $p) { ... on MutationBeginInstitutionLinkSuccess { data { authorizationUrl flowToken } } } }`,
      { p: 'correct horse battery staple' },
      { token },
    );
    const flow = start.data!.beginInstitutionLink.data;
    const callback = await signInAtProvider(
      flow.authorizationUrl,
      'rhea@demo-university.example',
      'demo-password',
    );
    const result = await complete(callback, flow.flowToken, token);
    expect(result.code).toBe('CONFLICT');
    const rows = await db.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.userId, other.id));
    expect(rows).toHaveLength(0);
  });

  it('never attaches a provider to an existing account by e-mail alone', async () => {
    const [existing] = await db.db
      .insert(users)
      .values({
        id: crypto.randomUUID(),
        email: 'mara@demo-university.example',
        displayName: 'Mara (password account)',
        role: 'researcher',
        passwordHash: 'not-a-hash',
      })
      .returning();
    const result = await signInAs('demo-university', 'mara@demo-university.example');
    expect(result.code).toBe('CONFLICT');
    const rows = await db.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.userId, existing!.id));
    expect(rows).toHaveLength(0);
  });

  it('signs out locally and hands back the provider logout URL (RP-initiated logout)', async () => {
    const session = await signInAs('demo-university', 'rhea@demo-university.example');
    const token = session.data!.token!;
    const res = await gql<{ signOut: string | null }>(`mutation { signOut }`, {}, { token });
    const url = new URL(res.data!.signOut!);
    expect(`${url.origin}${url.pathname}`).toBe(`${fx.demo.issuer}/session/end`);
    expect(url.searchParams.get('client_id')).toBe('consentome');
    const me = await gql<{ me: unknown }>(`{ me { id } }`, {}, { token });
    expect(me.data!.me).toBeNull();
  });
});
