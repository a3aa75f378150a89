import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { jwksRoute } from './jwks.route.js';
import { signingKey } from './signing-key.js';
import { verifyVisa } from './verify-visa.js';
import { signControlledAccessVisa } from './visa.js';

const ISSUER = 'https://consentome.example';
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;

describe(`GET /.well-known/jwks.json (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  const call = (method = 'GET', url = JWKS_URL) =>
    jwksRoute(db.db).handler(new Request(url, { method }), {});

  it('answers the public key only, cacheable, and it verifies our visas', async () => {
    const route = jwksRoute(db.db);
    expect(route.prefix).toBe('/.well-known/jwks.json');
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const jwks = (await res.json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]).toMatchObject({ kid: (await signingKey(db.db)).kid, use: 'sig' });

    const now = Math.floor(Date.now() / 1000);
    const visa = await signControlledAccessVisa(db.db, {
      subject: 'user-42',
      issuer: ISSUER,
      asserted: now,
      expiresAt: now + 60,
      value: 'https://consentome.example/studies/study-7',
      source: 'https://consentome.example/ethics-board',
    });
    const { payload } = await jwtVerify(visa, createLocalJWKSet(jwks), { issuer: ISSUER });
    expect(payload.sub).toBe('user-42');
    expect((await verifyVisa(jwks, visa, { issuer: ISSUER })).ok).toBe(true);
  });

  it('answers 405 to anything but GET and 404 below the path', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await call(method);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    }
    expect((await call('GET', `${JWKS_URL}/extra`)).status).toBe(404);
  });
});
