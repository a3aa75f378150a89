import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Queryable } from '../../../db/database.js';
import { readServerSecret, storeServerSecretIfAbsent } from '../../secrets/server-secrets.js';

/**
 * The server secret holding the current signing key. Rotation means a new name (`…-2`) here and
 * the old name moved to RETIRED_SIGNING_KEYS, so tokens it signed verify until they expire.
 */
export const CURRENT_SIGNING_KEY = 'passport-signing-key-1';

/** Keys no longer used for signing but still published while their tokens may be live. */
export const RETIRED_SIGNING_KEYS: readonly string[] = [];

/** The only signature algorithm we issue and accept. */
export const SIGNING_ALG = 'ES256';

/** A public P-256 JWK as published in our JWKS. */
export interface PublicSigningJwk extends JWK {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
}

/** A loaded signing key: the private half for signing, the public half for the JWKS. */
export interface PassportSigningKey {
  /** The server_secrets name it is stored under. */
  name: string;
  /** RFC 7638 thumbprint of the public key, so every instance derives the same id. */
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicSigningJwk;
}

// Keyed by database handle, so two databases in one process (tests) never share a key. Keys never
// change in place (rotation uses a new name), so nothing is ever invalidated.
const cache = new WeakMap<object, Map<string, Promise<PassportSigningKey>>>();

/**
 * The named signing key (the current one by default), generated and stored on first use and
 * cached for the life of the process. Prefer the outer database over a transaction: a key created
 * inside a transaction that rolls back would vanish while tokens it signed might not.
 */
export function signingKey(
  db: Queryable,
  name: string = CURRENT_SIGNING_KEY,
): Promise<PassportSigningKey> {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let pending = byName.get(name);
  if (!pending) {
    pending = loadSigningKey(db, name);
    // A failed load (database down) must not stick: the next call tries again.
    pending.catch(() => byName.delete(name));
    byName.set(name, pending);
  }
  return pending;
}

/**
 * Reads the named key from server_secrets (decrypting it) without the cache, creating it if absent. Concurrent
 * first use by several instances is settled by the primary key: the first insert wins and every
 * instance reads that one.
 */
export async function loadSigningKey(db: Queryable, name: string): Promise<PassportSigningKey> {
  const stored = await readServerSecret(db, name);
  if (stored !== undefined) return importStoredKey(name, stored);
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // Encrypted at rest with the secrets key (see secrets-keyring.ts), never stored in clear.
  return importStoredKey(
    name,
    await storeServerSecretIfAbsent(db, name, JSON.stringify({ ...jwk, alg: SIGNING_ALG })),
  );
}

/**
 * The public JWKS: the current key (created if needed) and any retired keys still stored. Only
 * public members are copied, so the private `d` can never leak through here.
 */
export async function publicJwks(db: Queryable): Promise<{ keys: PublicSigningJwk[] }> {
  const keys = [(await signingKey(db)).publicJwk];
  for (const name of RETIRED_SIGNING_KEYS) {
    if ((await readServerSecret(db, name)) !== undefined)
      keys.push((await signingKey(db, name)).publicJwk);
  }
  return { keys };
}

async function importStoredKey(name: string, stored: string): Promise<PassportSigningKey> {
  const jwk = JSON.parse(stored) as JWK;
  const { kty, crv, x, y, d } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !d)
    throw new Error(`server secret ${name} is not a P-256 private JWK`);
  const privateKey = await importJWK({ kty, crv, x, y, d }, SIGNING_ALG);
  if (!(privateKey instanceof CryptoKey)) throw new Error(`server secret ${name} is not a key`);
  // Derived, never read from storage, so the kid always matches the key it names.
  const kid = await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  return {
    name,
    kid,
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: SIGNING_ALG, use: 'sig' },
  };
}
