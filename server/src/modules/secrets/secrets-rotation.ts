import type { Database, Tx } from '../../db/database.js';
import { reencryptSecrets } from './server-secrets.js';
import {
  generateKeyText,
  installSecretsKeyring,
  loadSecretsKeyring,
  secretsKeyring,
  writeKeyFile,
} from '../../lib/secrets-keyring.js';

/** What a rotation did. */
export interface KeyRotation {
  /** Id of the key every secret is now encrypted with. */
  keyId: string;
  /** Ids of the keys no longer needed. */
  retired: string[];
  reencrypted: number;
}

/**
 * Rotates the key that encrypts server_secrets (and, through `also`, whatever else is sealed
 * with it: the CLI passes the documents' data keys).
 *
 * With a key file: a new key is written in front of the old ones (both accepted), every secret
 * is re-encrypted with it in one transaction, and then the file keeps only the new key. A crash
 * at any point leaves a file that still opens every row; running the command again finishes.
 * Other instances sharing the file pick the new key up when they meet a value sealed with it.
 *
 * With SECRETS_KEY: the environment cannot be rewritten from here, so the operator puts the new
 * key first and the old one after a comma, runs this, then drops the old key.
 */
export async function rotateSecretsKey(
  db: Database,
  also?: (tx: Tx) => Promise<unknown>,
): Promise<KeyRotation> {
  const ring = secretsKeyring();
  const source = ring.source;
  if (source?.kind === 'file') {
    const old = loadSecretsKeyring(source);
    const fresh = loadSecretsKeyring({ kind: 'env', value: generateKeyText() }).current;
    const olds = [...old.keys.values()];
    writeKeyFile(source.path, [fresh, ...olds]);
    const during = installSecretsKeyring(loadSecretsKeyring(source));
    const reencrypted = await reencryptSecrets(db, during, also);
    writeKeyFile(source.path, [fresh]);
    installSecretsKeyring(loadSecretsKeyring(source));
    return { keyId: fresh.id, retired: olds.map((k) => k.id), reencrypted };
  }
  const named = source ? loadSecretsKeyring(source) : ring;
  if (named.keys.size < 2)
    throw new Error(
      'SECRETS_KEY holds one key: set SECRETS_KEY=<new key>,<old key> (new first), run this again, then drop the old key',
    );
  const reencrypted = await reencryptSecrets(db, ring, also);
  return {
    keyId: ring.current.id,
    retired: [...named.keys.keys()].filter((id) => id !== ring.current.id),
    reencrypted,
  };
}
