import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSession } from '../modules/accounts/accounts.service.js';
import { TEST_PASSWORD, createTestApi, loginAs, makeUser, testConfig } from '../test/test-api.js';
import { createTestRouter } from '../test/in-process-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';

const config = testConfig({
  webOrigin: 'http://127.0.0.1:3000',
  publicUrl: 'http://127.0.0.1:4000',
});
const API = 'http://127.0.0.1:4000';
// Another port of the same host: "same-site" to the browser, so SameSite=Lax cookies go along.
const EVIL = 'http://127.0.0.1:8080';

describe(`cross-site requests carrying the session cookie (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let router: ReturnType<typeof createTestRouter>;
  let token = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    router = createTestRouter(db.db, config);
    token = await loginAs(createTestApi(db.db, config), await makeUser(db.db, 'researcher'));
  });
  afterAll(() => db.dispose());

  const cookie = () => `consentome_session=${token}`;
  const stillSignedIn = async () => (await resolveSession(db.db, token)) !== null;
  /** A form on the attacker's page posting `query` to the API (same-site to the browser). */
  const crossSiteFormPost = (query: string, headers: Record<string, string> = {}) =>
    router.fetch(`${API}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: EVIL,
        'sec-fetch-site': 'same-site',
        ...headers,
      },
      body: new URLSearchParams({ query }).toString(),
    });

  it('refuses a cross-origin form POST that would log the user out everywhere', async () => {
    const res = await crossSiteFormPost('mutation { logoutEverywhere }', { cookie: cookie() });
    expect(res.status).toBe(403);
    expect(await stillSignedIn()).toBe(true);
  });

  it('refuses a cross-origin multipart POST with the cookie', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation { logoutEverywhere }' }));
    form.set('map', '{}');
    const res = await router.fetch(`${API}/graphql`, {
      method: 'POST',
      headers: { origin: EVIL, 'sec-fetch-site': 'same-site', cookie: cookie() },
      body: form,
    });
    expect(res.status).toBe(403);
    expect(await stillSignedIn()).toBe(true);
  });

  it('refuses login CSRF: a cross-site form cannot sign the browser into an attacker account', async () => {
    const attacker = await makeUser(db.db, 'researcher');
    const res = await crossSiteFormPost(
      `mutation { login(email: "${attacker.email}", password: "${TEST_PASSWORD}") { __typename } }`,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('ignores the cookie of a JSON request from another origin (the user is anonymous there)', async () => {
    const res = await router.fetch(`${API}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: EVIL, cookie: cookie() },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await res.json()) as { data: { me: unknown } }).data.me).toBeNull();
  });

  it('still accepts the cookie from the portal origin and from programs, and the bearer token anywhere', async () => {
    const me = async (headers: Record<string, string>) => {
      const res = await router.fetch(`${API}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      return ((await res.json()) as { data: { me: unknown } }).data.me;
    };
    expect(await me({ origin: config.webOrigin, cookie: cookie() })).not.toBeNull();
    expect(await me({ cookie: cookie() })).not.toBeNull();
    expect(await me({ origin: EVIL, authorization: `Bearer ${token}` })).not.toBeNull();
  });

  it('export downloads and the passport refuse a cookie sent by a link on another site', async () => {
    const exportUrl = `${API}/api/exports/${randomUUID()}/vcf`;
    const crossSite = { cookie: cookie(), 'sec-fetch-site': 'same-site' };
    expect((await router.fetch(exportUrl, { headers: crossSite })).status).toBe(401);
    expect((await router.fetch(`${API}/ga4gh/passport/v1`, { headers: crossSite })).status).toBe(
      401,
    );
    // Typed into the address bar, or fetched by a program with the bearer token: served.
    const direct = { cookie: cookie(), 'sec-fetch-site': 'none' };
    expect((await router.fetch(exportUrl, { headers: direct })).status).toBe(404);
    const bearer = { authorization: `Bearer ${token}`, 'sec-fetch-site': 'cross-site' };
    expect((await router.fetch(`${API}/ga4gh/passport/v1`, { headers: bearer })).status).toBe(200);
  });

  it('refuses a body over the limit before reading it', async () => {
    const res = await router.fetch(`${API}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }', pad: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });
});
