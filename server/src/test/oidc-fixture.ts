import {
  DEMO_CLIENT,
  DEMO_INSTITUTIONS,
  startTestProvider,
  type RunningInstitution,
} from '../../../scripts/oidc/test-provider.mjs';
import type { Config } from '../config.js';
import type { IdentitySettings, OidcProviderSettings } from '../lib/identity-settings.js';
import { testConfig } from './test-api.js';

/** The portal callback the test providers redirect to (never fetched: tests stop at it). */
export const TEST_REDIRECT_URI = 'http://portal.test/login/oidc/callback';

/** The test institutions running on loopback, and a configuration that trusts the first two. */
export interface OidcFixture {
  demo: RunningInstitution;
  second: RunningInstitution;
  /** Running but not configured: a provider we do not trust. */
  rogue: RunningInstitution;
  config: Config;
  close(): Promise<void>;
}

function providerSettings(
  institution: RunningInstitution,
  overrides: Partial<OidcProviderSettings>,
): OidcProviderSettings {
  return {
    id: institution.id,
    displayName: institution.displayName,
    issuer: institution.issuer,
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    scopes: 'openid email profile eduperson',
    affiliationClaim: 'eduperson_scoped_affiliation',
    entitlementClaim: 'eduperson_entitlement',
    affiliationBy: 'system',
    roles: ['researcher'],
    newAccounts: 'active',
    ...overrides,
  };
}

/**
 * Starts Demo University (new accounts active), Second Institute (new accounts pending) and an
 * unconfigured "Rogue" institution, on free loopback ports.
 */
export async function startOidcFixture(
  identity: Partial<IdentitySettings> = {},
): Promise<OidcFixture> {
  const running = await startTestProvider({
    institutions: [
      ...DEMO_INSTITUTIONS,
      { ...DEMO_INSTITUTIONS[0]!, id: 'rogue', displayName: 'Rogue Institute', port: 0 },
    ],
    redirectUris: [TEST_REDIRECT_URI],
    postLogoutRedirectUris: ['http://portal.test/login'],
    randomPorts: true,
  });
  const [demo, second, rogue] = running.institutions as [
    RunningInstitution,
    RunningInstitution,
    RunningInstitution,
  ];
  const config = testConfig({
    identity: {
      providers: [
        providerSettings(demo, {}),
        providerSettings(second, { newAccounts: 'pending', affiliationBy: 'so' }),
      ],
      redirectUri: TEST_REDIRECT_URI,
      postLogoutRedirectUri: 'http://portal.test/login',
      mfaRoles: [],
      stepUpMaxAgeMs: 15 * 60_000,
      stepUpFields: [],
      allowLoopbackHttp: true,
      ...identity,
    },
  });
  return { demo, second, rogue, config, close: running.close };
}

/**
 * Plays the browser at a provider: follows the authorization URL to its login form, signs in
 * with `email` and `password`, and answers the URL the provider finally redirects to (the
 * portal callback with `code`, `state` and `iss`), without fetching it.
 */
export async function signInAtProvider(
  authorizationUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
    return response;
  };
  let url = authorizationUrl;
  let response = await send(url);
  for (let hops = 0; hops < 10; hops += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      if (url.startsWith(TEST_REDIRECT_URI)) return url;
      response = await send(url);
      continue;
    }
    const html = await response.text();
    const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
    if (!action)
      throw new Error(`provider answered ${response.status} without a form: ${html.slice(0, 200)}`);
    url = new URL(action, url).toString();
    response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });
  }
  throw new Error('too many redirects at the provider');
}
