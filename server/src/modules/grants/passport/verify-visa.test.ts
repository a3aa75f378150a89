import {
  SignJWT,
  base64url,
  decodeJwt,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { signPassport } from './passport.js';
import { publicJwks, signingKey } from './signing-key.js';
import { verifyVisa } from './verify-visa.js';
import { signControlledAccessVisa } from './visa.js';

const ISSUER = 'https://consentome.example';
const JKU = `${ISSUER}/.well-known/jwks.json`;
const now = Math.floor(Date.now() / 1000);
const visaObject = {
  type: 'ControlledAccessGrants',
  asserted: now - 60,
  value: 'https://consentome.example/studies/study-7',
  source: 'https://consentome.example/ethics-board',
  by: 'dac',
};

/** Claims of a good visa, to be bent one way at a time. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: 'user-42',
    iat: now,
    exp: now + 3600,
    jti: 'visa-1',
    ga4gh_visa_v1: visaObject,
    ...overrides,
  };
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

describe(`verifyVisa rejects every bad token with a reason (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let good: string;
  let kid: string;
  /** Signs arbitrary claims with our real key, so only the bent part can fail. */
  let signOurs: (payload: JWTPayload, header?: Record<string, unknown>) => Promise<string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const key = await signingKey(db.db);
    kid = key.kid;
    signOurs = (payload, header = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid, jku: JKU, ...header })
        .sign(key.privateKey);
    good = await signControlledAccessVisa(db.db, {
      subject: 'user-42',
      issuer: ISSUER,
      asserted: now - 60,
      expiresAt: now + 3600,
      value: visaObject.value,
      source: visaObject.source,
    });
  });
  afterAll(async () => {
    await db.dispose();
  });

  const verify = (token: unknown, options: { audience?: string; now?: Date } = {}) =>
    verifyVisa(db.db, token, { issuer: ISSUER, ...options });

  it('accepts the untouched token, from the database or from a JWKS in hand', async () => {
    expect((await verify(good)).ok).toBe(true);
    expect((await verifyVisa(await publicJwks(db.db), good, { issuer: ISSUER })).ok).toBe(true);
    expect((await verifyVisa(db.db, await signOurs(claims()), { issuer: ISSUER })).ok).toBe(true);
  });

  it('rejects alg none (hand-crafted, empty signature)', async () => {
    const header = encodeJson({ alg: 'none', typ: 'JWT', kid, jku: JKU });
    expect(await verify(`${header}.${encodeJson(claims())}.`)).toEqual({
      ok: false,
      reason: 'algorithm',
      message: 'visa rejected: alg "none" is not accepted (only ES256)',
    });
  });

  it('rejects HS256 signed with our public key bytes (algorithm confusion)', async () => {
    const { publicJwk } = await signingKey(db.db);
    const publicKey = await importJWK(publicJwk, 'ES256', { extractable: true });
    const pem = await exportSPKI(publicKey as CryptoKey);
    for (const secret of [pem, JSON.stringify(publicJwk)]) {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid, jku: JKU })
        .sign(new TextEncoder().encode(secret));
      expect(await verify(forged)).toMatchObject({ ok: false, reason: 'algorithm' });
    }
  });

  it('rejects a token signed by a foreign key, whatever kid it claims', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const sign = (header: Record<string, string>) =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', jku: JKU, ...header })
        .sign(privateKey);
    expect(await verify(await sign({ kid }))).toEqual({
      ok: false,
      reason: 'signature',
      message: 'visa rejected: the signature does not verify',
    });
    expect(await verify(await sign({ kid: 'their-key' }))).toEqual({
      ok: false,
      reason: 'signature',
      message: 'visa rejected: signed with a key that is not ours (kid their-key)',
    });
    expect(await verify(await signOurs(claims(), { kid: undefined }))).toMatchObject({
      reason: 'signature',
    });
  });

  it('rejects a modified payload and a modified signature', async () => {
    const [header, , signature] = good.split('.');
    const payload = decodeJwt(good);
    const widened = encodeJson({
      ...payload,
      ga4gh_visa_v1: { ...visaObject, value: 'https://consentome.example/studies/study-8' },
    });
    expect(await verify(`${header}.${widened}.${signature}`)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
    const longer = encodeJson({ ...payload, exp: now + 10 * 365 * 86400 });
    expect(await verify(`${header}.${longer}.${signature}`)).toMatchObject({ reason: 'signature' });
    const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(await verify(`${header}.${good.split('.')[1]}.${flipped}`)).toMatchObject({
      reason: 'signature',
    });
  });

  it('rejects an expired token and one not yet valid', async () => {
    const later = new Date((now + 3601 + 30) * 1000);
    expect(await verify(good, { now: later })).toEqual({
      ok: false,
      reason: 'expired',
      message: `visa rejected: expired at ${new Date((now + 3600) * 1000).toISOString()}`,
    });
    const future = await signOurs(claims({ iat: now + 600, exp: now + 7200 }));
    expect(await verify(future)).toMatchObject({ reason: 'expired', message: /not yet valid/ });
    const notBefore = await signOurs(claims({ nbf: now + 600 }));
    expect(await verify(notBefore)).toMatchObject({ reason: 'expired', message: /not yet valid/ });
    // Within the clock tolerance between instances, a slightly early iat is fine.
    expect((await verify(await signOurs(claims({ iat: now + 5 })))).ok).toBe(true);
  });

  it('rejects a wrong issuer, in iss or in jku', async () => {
    expect(await verify(await signOurs(claims({ iss: 'https://evil.example' })))).toEqual({
      ok: false,
      reason: 'issuer',
      message: 'visa rejected: iss "https://evil.example" is not https://consentome.example',
    });
    const foreignJku = await signOurs(claims(), { jku: 'https://evil.example/jwks.json' });
    expect(await verify(foreignJku)).toMatchObject({ reason: 'issuer' });
    expect(await verifyVisa(db.db, good, { issuer: 'https://other.example' })).toMatchObject({
      reason: 'issuer',
    });
  });

  it('rejects a wrong or missing audience when one is required, and an unexpected one', async () => {
    const forOther = await signOurs(claims({ aud: 'https://other-clearinghouse.example' }));
    const forUs = await signOurs(claims({ aud: ['https://x.example', 'https://drs.example'] }));
    expect(await verify(forOther, { audience: 'https://drs.example' })).toEqual({
      ok: false,
      reason: 'audience',
      message:
        'visa rejected: aud https://other-clearinghouse.example does not include https://drs.example',
    });
    expect((await verify(forUs, { audience: 'https://drs.example' })).ok).toBe(true);
    expect(await verify(good, { audience: 'https://drs.example' })).toMatchObject({
      reason: 'audience',
      message: /no aud/,
    });
    expect(await verify(forUs)).toMatchObject({ reason: 'audience', message: /restricted to/ });
  });

  it('rejects a missing or ill-formed ga4gh_visa_v1 and a type other than expected', async () => {
    expect(await verify(await signOurs(claims({ ga4gh_visa_v1: undefined })))).toEqual({
      ok: false,
      reason: 'claims',
      message: 'visa rejected: no ga4gh_visa_v1 claim',
    });
    const unknownType = await signOurs(
      claims({ ga4gh_visa_v1: { ...visaObject, type: 'LinkedIdentities' } }),
    );
    expect(await verify(unknownType)).toMatchObject({ reason: 'claims', message: /type/ });
    const noBy = await signOurs(claims({ ga4gh_visa_v1: { ...visaObject, by: undefined } }));
    expect(await verify(noBy)).toMatchObject({ reason: 'claims', message: /must say "by"/ });
    const research = await signOurs(
      claims({
        ga4gh_visa_v1: { ...visaObject, type: 'ResearcherStatus', value: 'https://doi.org/x' },
      }),
    );
    expect(
      await verifyVisa(db.db, research, { issuer: ISSUER, type: 'ControlledAccessGrants' }),
    ).toMatchObject({
      reason: 'claims',
      message: 'visa rejected: type ResearcherStatus is not ControlledAccessGrants',
    });
    const openid = await signOurs(claims({ scope: 'openid ga4gh_passport_v1' }));
    expect(await verify(openid)).toMatchObject({ reason: 'claims', message: /openid/ });
    expect(await verify(await signOurs(claims({ jti: undefined })))).toMatchObject({
      reason: 'claims',
      message: /jti/,
    });
  });

  it('rejects garbage and a passport presented as a visa as malformed', async () => {
    for (const junk of [undefined, 42, '', 'a.b', 'not a jwt at all', `${'a'.repeat(20_000)}.b.c`])
      expect(await verify(junk)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verify(`${base64url.encode('{oops')}.${encodeJson(claims())}.sig`)).toMatchObject({
      reason: 'malformed',
    });
    const passport = await signPassport(db.db, {
      issuer: ISSUER,
      subject: 'user-42',
      visas: [good],
      ttlSeconds: 600,
    });
    expect(await verify(passport)).toMatchObject({ reason: 'malformed', message: /typ/ });
    expect(await verify(await signOurs(claims(), { jku: undefined }))).toMatchObject({
      reason: 'malformed',
      message: /jku/,
    });
  });

  it('finds no key in a set without an ES256 public key for the kid', async () => {
    const hmacOnly = { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid, alg: 'HS256' }] };
    expect(await verifyVisa(hmacOnly, good, { issuer: ISSUER })).toMatchObject({
      reason: 'signature',
    });
  });
});
