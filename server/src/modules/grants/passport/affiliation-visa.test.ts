import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import {
  signInAtProvider,
  startOidcFixture,
  type OidcFixture,
} from '../../../test/oidc-fixture.js';
import { PASSPORT_PATH, passportBrokerRoute } from './passport-broker.route.js';
import { verifyPassport } from './verify-passport.js';
import { affiliationVisaValue } from './affiliation-visas.js';

const ISSUER = 'http://consentome.test';
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

async function signIn(providerId: string, email: string): Promise<string> {
  const begun = await gql<{
    beginInstitutionSignIn: { data: { authorizationUrl: string; flowToken: string } };
  }>(
    `mutation($p: ID!) { beginInstitutionSignIn(providerId: $p) { ... on MutationBeginInstitutionSignInSuccess { data { authorizationUrl flowToken } } } }`,
    { p: providerId },
  );
  const flow = begun.data!.beginInstitutionSignIn.data;
  const callback = await signInAtProvider(flow.authorizationUrl, email, 'demo-password');
  const done = await gql<{ completeInstitutionSignIn: { data?: { token: string } } }>(
    `mutation($u: String!, $f: String!) { completeInstitutionSignIn(callbackUrl: $u, flowToken: $f) { ... on MutationCompleteInstitutionSignInSuccess { data { token } } } }`,
    { u: callback, f: flow.flowToken },
  );
  return done.data!.completeInstitutionSignIn.data!.token;
}

async function passportVisas(token: string) {
  const res = await passportBrokerRoute(db.db, ISSUER).handler(
    new Request(`${ISSUER}${PASSPORT_PATH}`, { headers: { authorization: `Bearer ${token}` } }),
    {},
  );
  expect(res.status).toBe(200);
  const { passport } = (await res.json()) as { passport: string };
  const verified = await verifyPassport(db.db, passport, { issuer: ISSUER });
  if (!verified.ok) throw new Error('passport did not verify');
  return verified.visas.map((v) => v.visa);
}

describe(`AffiliationAndRole from the institution's provider (${TEST_DRIVER})`, () => {
  it('maps eduPersonScopedAffiliation values to visa values, dropping what is no membership', () => {
    expect(affiliationVisaValue('faculty@demo-university.example')).toBe(
      'faculty@demo-university.example',
    );
    expect(affiliationVisaValue('Staff@Demo-University.example')).toBe(
      'member@demo-university.example',
    );
    expect(affiliationVisaValue('affiliate@demo-university.example')).toBeNull();
    expect(affiliationVisaValue('member')).toBeNull();
  });

  it('gives a researcher signed in through Demo University visas naming that provider as source', async () => {
    const token = await signIn('demo-university', 'rhea@demo-university.example');
    const visas = await passportVisas(token);
    expect(visas.map((v) => [v.type, v.value, v.source, v.by])).toEqual([
      ['AffiliationAndRole', 'member@demo-university.example', fx.demo.issuer, 'system'],
      ['AffiliationAndRole', 'faculty@demo-university.example', fx.demo.issuer, 'system'],
    ]);
  });

  it("says by: so where the provider's claim is asserted by a signing official", async () => {
    const settings = fx.config.identity.providers.find((p) => p.id === 'second-institute')!;
    settings.newAccounts = 'active';
    const token = await signIn('second-institute', 'sam@second-institute.example');
    const visas = await passportVisas(token);
    expect(visas.map((v) => [v.value, v.source, v.by])).toEqual([
      ['member@second-institute.example', fx.second.issuer, 'so'],
    ]);
  });
});
