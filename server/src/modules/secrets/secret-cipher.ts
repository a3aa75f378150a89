import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretsKey } from '../../lib/secrets-keyring.js';

/** Prefix of every encrypted value; anything else in server_secrets is legacy plaintext. */
export const SEALED_PREFIX = 'enc:v1:';

const b64 = (b: Buffer) => b.toString('base64url');

/**
 * Encrypts one secret with AES-256-GCM under `key`: `enc:v1:<key id>:<iv>:<ciphertext>:<tag>`.
 * The secret's name is the additional authenticated data, so a value copied onto another row
 * (say, the noise key onto the signing key) fails to decrypt instead of being used.
 */
export function sealSecret(key: SecretsKey, name: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(`server_secrets:${name}`, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${key.id}:${b64(iv)}:${b64(body)}:${b64(cipher.getAuthTag())}`;
}

/** The key id a sealed value names, or null for a value that is not sealed. */
export function sealedKeyId(value: string): string | null {
  if (!value.startsWith(SEALED_PREFIX)) return null;
  return value.slice(SEALED_PREFIX.length).split(':')[0] ?? null;
}

/** Decrypts a sealed value; throws when it was altered, moved to another name or is malformed. */
export function openSecret(key: SecretsKey, name: string, sealed: string): string {
  const parts = sealed.slice(SEALED_PREFIX.length).split(':');
  if (parts.length !== 4 || parts[0] !== key.id)
    throw new Error(`server secret ${name} is not a value sealed with key ${key.id}`);
  const [, iv, body, tag] = parts as [string, string, string, string];
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`server_secrets:${name}`, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new Error(`server secret ${name} failed authentication (altered or moved)`);
  }
}
