import { openSecret, sealSecret, sealedKeyId } from '../secrets/secret-cipher.js';
import { secretsKeyring } from '../../lib/secrets-keyring.js';

// The AAD names the account, so a sealed secret copied onto another account fails to open.
const nameOf = (userId: string) => `totp:${userId}`;

/** Seals an account's TOTP secret under the current secrets key. */
export function sealTotpSecret(userId: string, secret: string): string {
  return sealSecret(secretsKeyring().current, nameOf(userId), secret);
}

/** Opens an account's sealed TOTP secret; throws when its key is gone or it was altered. */
export function openTotpSecret(userId: string, sealed: string): string {
  const key = secretsKeyring().find(sealedKeyId(sealed) ?? '');
  if (!key) throw new Error('The key sealing this TOTP secret is not configured');
  return openSecret(key, nameOf(userId), sealed);
}
