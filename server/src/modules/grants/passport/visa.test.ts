import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { signingKey } from './signing-key.js';
import { verifyVisa } from './verify-visa.js';
import {
  signAffiliationAndRoleVisa,
  signControlledAccessVisa,
  signResearcherStatusVisa,
} from './visa.js';

const ISSUER = 'https://consentome.example';
const SOURCE = 'https://consentome.example/ethics-board';
const now = Math.floor(Date.now() / 1000);
const issue = { subject: 'user-42', issuer: ISSUER, asserted: now - 60, expiresAt: now + 3600 };

describe(`visa signing and verification round trip (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('signs a ControlledAccessGrants visa as a Visa Document Token and verifies it', async () => {
    const token = await signControlledAccessVisa(db.db, {
      ...issue,
      value: 'https://consentome.example/studies/study-7',
      source: SOURCE,
    });
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: (await signingKey(db.db)).kid,
      jku: 'https://consentome.example/.well-known/jwks.json',
    });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      iss: ISSUER,
      sub: 'user-42',
      iat: expect.any(Number),
      exp: now + 3600,
      jti: expect.any(String),
      ga4gh_visa_v1: {
        type: 'ControlledAccessGrants',
        asserted: now - 60,
        value: 'https://consentome.example/studies/study-7',
        source: SOURCE,
        by: 'dac',
      },
    });
    const result = await verifyVisa(db.db, token, {
      issuer: ISSUER,
      type: 'ControlledAccessGrants',
    });
    expect(result).toEqual({
      ok: true,
      visa: {
        token,
        issuer: ISSUER,
        subject: 'user-42',
        issuedAt: payload.iat,
        expiresAt: now + 3600,
        jti: payload.jti,
        keyId: (await signingKey(db.db)).kid,
        audience: [],
        visa: payload.ga4gh_visa_v1,
      },
    });
  });

  it('carries conditions on a ControlledAccessGrants visa through verification', async () => {
    const conditions = [[{ type: 'ResearcherStatus', value: 'const:https://doi.org/x' }]];
    const token = await signControlledAccessVisa(db.db, {
      ...issue,
      value: 'https://consentome.example/datasets/ds-1',
      source: SOURCE,
      conditions,
    });
    const result = await verifyVisa(db.db, token, { issuer: ISSUER });
    expect(result.ok && result.visa.visa.conditions).toEqual(conditions);
  });

  it('signs and verifies an AffiliationAndRole visa', async () => {
    const token = await signAffiliationAndRoleVisa(db.db, {
      ...issue,
      value: 'nih.researcher@uni-heidelberg.de',
      source: 'https://uni-heidelberg.de',
      by: 'so',
    });
    const result = await verifyVisa(db.db, token, { issuer: ISSUER, type: 'AffiliationAndRole' });
    expect(result.ok && result.visa.visa).toEqual({
      type: 'AffiliationAndRole',
      asserted: now - 60,
      value: 'nih.researcher@uni-heidelberg.de',
      source: 'https://uni-heidelberg.de',
      by: 'so',
    });
  });

  it('signs and verifies a Registered Access ResearcherStatus visa', async () => {
    const token = await signResearcherStatusVisa(db.db, {
      ...issue,
      asserted: new Date((now - 60) * 1000),
      expiresAt: new Date((now + 3600) * 1000),
      source: SOURCE,
    });
    const result = await verifyVisa(db.db, token, { issuer: ISSUER, type: 'ResearcherStatus' });
    expect(result.ok && result.visa.visa).toEqual({
      type: 'ResearcherStatus',
      asserted: now - 60,
      value: 'https://doi.org/10.1038/s41431-018-0219-y',
      source: SOURCE,
      by: 'so',
    });
  });

  it('refuses to sign what the spec forbids, naming the problem', async () => {
    await expect(
      signControlledAccessVisa(db.db, { ...issue, value: 'study-7', source: SOURCE }),
    ).rejects.toThrow(/ControlledAccessGrants value must be a URL/);
    await expect(
      signAffiliationAndRoleVisa(db.db, {
        ...issue,
        value: 'researcher@uni.example',
        source: SOURCE,
        by: 'system',
      }),
    ).rejects.toThrow(/namespaced custom role/);
    await expect(
      signResearcherStatusVisa(db.db, { ...issue, source: 'not a url' }),
    ).rejects.toThrow(/source/);
    await expect(
      signResearcherStatusVisa(db.db, { ...issue, expiresAt: now - 1, source: SOURCE }),
    ).rejects.toThrow(/expire after/);
    await expect(
      signResearcherStatusVisa(db.db, { ...issue, asserted: now + 600, source: SOURCE }),
    ).rejects.toThrow(/future/);
  });
});
