import { eq } from 'drizzle-orm';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { serverSecrets } from '../../secrets/secrets.tables.js';
import { readServerSecret } from '../../secrets/server-secrets.js';
import { CURRENT_SIGNING_KEY, loadSigningKey, publicJwks, signingKey } from './signing-key.js';

describe(`passport signing key (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('is generated on first use and stored in server_secrets as a private P-256 JWK, encrypted', async () => {
    const key = await signingKey(db.db);
    const [row] = await db.db
      .select()
      .from(serverSecrets)
      .where(eq(serverSecrets.name, CURRENT_SIGNING_KEY));
    expect(row!.value).toMatch(/^enc:v1:/);
    expect(row!.value).not.toContain('"d"');
    const stored = JSON.parse((await readServerSecret(db.db, CURRENT_SIGNING_KEY))!) as Record<
      string,
      string
    >;
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(stored.d).toEqual(expect.any(String));
    expect(key.kid).toBe(
      await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: stored.x!, y: stored.y! }),
    );
    expect(key.privateKey.type).toBe('private');
  });

  it('is reused across calls and by a second instance loading it from the same database', async () => {
    const first = await signingKey(db.db);
    expect(await signingKey(db.db)).toBe(first);
    const secondInstance = await loadSigningKey(db.db, CURRENT_SIGNING_KEY);
    expect(secondInstance).not.toBe(first);
    expect(secondInstance.kid).toBe(first.kid);
    expect(secondInstance.publicJwk).toEqual(first.publicJwk);
    const rows = await db.db
      .select()
      .from(serverSecrets)
      .where(eq(serverSecrets.name, CURRENT_SIGNING_KEY));
    expect(rows).toHaveLength(1);
  });

  it('settles a concurrent first use by several instances on one key', async () => {
    const name = 'passport-signing-key-race';
    const loads = await Promise.all([1, 2, 3, 4].map(() => loadSigningKey(db.db, name)));
    expect(new Set(loads.map((k) => k.kid)).size).toBe(1);
  });

  it('publishes the public half only, with kid, alg and use', async () => {
    const { keys } = await publicJwks(db.db);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: (await signingKey(db.db)).kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(keys[0]).not.toHaveProperty('d');
  });
});
