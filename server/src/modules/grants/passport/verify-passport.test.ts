import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { signPassport } from './passport.js';
import { signingKey } from './signing-key.js';
import { verifyPassport } from './verify-passport.js';
import {
  signAffiliationAndRoleVisa,
  signControlledAccessVisa,
  signResearcherStatusVisa,
} from './visa.js';

const ISSUER = 'https://consentome.example';
const SOURCE = 'https://consentome.example/ethics-board';
const DRS = 'https://drs.consentome.example';
const now = Math.floor(Date.now() / 1000);
const issue = { subject: 'user-42', issuer: ISSUER, asserted: now - 60, expiresAt: now + 86_400 };

describe(`passport signing and verification (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let visas: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    visas = [
      await signControlledAccessVisa(db.db, {
        ...issue,
        value: 'https://consentome.example/studies/study-7',
        source: SOURCE,
      }),
      await signAffiliationAndRoleVisa(db.db, {
        ...issue,
        value: 'member@uni-heidelberg.de',
        source: 'https://uni-heidelberg.de',
        by: 'system',
      }),
      await signResearcherStatusVisa(db.db, { ...issue, source: SOURCE }),
    ];
  });
  afterAll(async () => {
    await db.dispose();
  });

  const passportOf = (tokens: string[], extra: { audience?: string; ttlSeconds?: number } = {}) =>
    signPassport(db.db, {
      issuer: ISSUER,
      subject: 'user-42',
      visas: tokens,
      ttlSeconds: 600,
      ...extra,
    });

  it('signs a short-lived passport carrying the visa JWTs and verifies every visa in it', async () => {
    const token = await passportOf(visas, { audience: DRS });
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'vnd.ga4gh.passport+jwt',
      kid: (await signingKey(db.db)).kid,
    });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: 'user-42',
      aud: DRS,
      ga4gh_passport_v1: visas,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    const result = await verifyPassport(db.db, token, { issuer: ISSUER, audience: DRS });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.passport).toMatchObject({
      issuer: ISSUER,
      subject: 'user-42',
      audience: [DRS],
      jti: payload.jti,
    });
    expect(result.visas.map((v) => v.visa.type)).toEqual([
      'ControlledAccessGrants',
      'AffiliationAndRole',
      'ResearcherStatus',
    ]);
    expect(result.rejected).toEqual([]);
  });

  it('sets aside bad visas with their reasons and keeps the good ones', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ ga4gh_visa_v1: {} })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'JWT',
        kid: 'x',
        jku: `${ISSUER}/.well-known/jwks.json`,
      })
      .setIssuer(ISSUER)
      .setSubject('user-42')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('f')
      .sign(privateKey);
    const expired = await signResearcherStatusVisa(db.db, {
      ...issue,
      now: new Date((now - 7200) * 1000),
      asserted: now - 7300,
      expiresAt: now - 3600,
      source: SOURCE,
    });
    const someoneElse = await signResearcherStatusVisa(db.db, {
      ...issue,
      subject: 'user-99',
      source: SOURCE,
    });
    const token = await passportOf([visas[0]!, foreign, expired, 'garbage', someoneElse]);
    const result = await verifyPassport(db.db, token, { issuer: ISSUER });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.visas.map((v) => v.token)).toEqual([visas[0]]);
    expect(result.rejected).toEqual([
      { index: 1, reason: 'signature', message: expect.stringMatching(/not ours/) },
      { index: 2, reason: 'expired', message: expect.stringMatching(/expired at/) },
      { index: 3, reason: 'malformed', message: expect.any(String) },
      { index: 4, reason: 'claims', message: expect.stringMatching(/not the passport's subject/) },
    ]);
  });

  it('keeps a conditional visa only when the other visas meet its conditions', async () => {
    const conditional = await signControlledAccessVisa(db.db, {
      ...issue,
      value: 'https://consentome.example/datasets/ds-1',
      source: SOURCE,
      conditions: [
        [{ type: 'ResearcherStatus', value: 'const:https://doi.org/10.1038/s41431-018-0219-y' }],
      ],
    });
    const met = await verifyPassport(db.db, await passportOf([conditional, visas[2]!]), {
      issuer: ISSUER,
    });
    expect(met.ok && met.visas.map((v) => v.token)).toEqual([conditional, visas[2]]);
    const unmet = await verifyPassport(db.db, await passportOf([visas[1]!, conditional]), {
      issuer: ISSUER,
    });
    expect(unmet.ok && unmet.visas.map((v) => v.token)).toEqual([visas[1]]);
    expect(unmet.ok && unmet.rejected).toEqual([
      { index: 1, reason: 'claims', message: expect.stringMatching(/conditions are not met/) },
    ]);
  });

  it('refuses the whole passport when its envelope is bad', async () => {
    const token = await passportOf(visas, { audience: DRS });
    expect(
      await verifyPassport(db.db, token, { issuer: ISSUER, audience: 'https://other.example' }),
    ).toMatchObject({
      ok: false,
      reason: 'audience',
    });
    expect(await verifyPassport(db.db, token, { issuer: ISSUER })).toMatchObject({
      reason: 'audience',
    });
    expect(
      await verifyPassport(db.db, token, {
        issuer: ISSUER,
        audience: DRS,
        now: new Date((now + 3600) * 1000),
      }),
    ).toMatchObject({ reason: 'expired', message: /^passport rejected: expired at/ });
    expect(
      await verifyPassport(db.db, token, { issuer: 'https://evil.example', audience: DRS }),
    ).toMatchObject({ reason: 'issuer' });
    expect(await verifyPassport(db.db, visas[0], { issuer: ISSUER })).toMatchObject({
      reason: 'malformed',
      message: /typ/,
    });
    const [header, payload, signature] = token.split('.');
    const tampered = Buffer.from(payload!, 'base64url').toString().replace('user-42', 'user-43');
    expect(
      await verifyPassport(
        db.db,
        `${header}.${Buffer.from(tampered).toString('base64url')}.${signature}`,
        { issuer: ISSUER, audience: DRS },
      ),
    ).toMatchObject({ reason: 'signature' });
  });

  it('refuses a passport without a list of visas', async () => {
    const key = await signingKey(db.db);
    const token = await new SignJWT({ ga4gh_passport_v1: 'not-a-list' })
      .setProtectedHeader({ alg: 'ES256', typ: 'vnd.ga4gh.passport+jwt', kid: key.kid })
      .setIssuer(ISSUER)
      .setSubject('user-42')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('p')
      .sign(key.privateKey);
    expect(await verifyPassport(db.db, token, { issuer: ISSUER })).toEqual({
      ok: false,
      reason: 'claims',
      message: 'passport rejected: ga4gh_passport_v1 must be a list of visas',
    });
  });
});
