import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database, Queryable, Tx } from '../../db/database.js';
import { SEALED_PREFIX, openSecret, sealSecret, sealedKeyId } from './secret-cipher.js';
import { serverSecrets } from './secrets.tables.js';
import {
  reloadSecretsKeyring,
  secretsKeyring,
  type SecretsKeyring,
} from '../../lib/secrets-keyring.js';

/**
 * Decrypts a stored value sealed under any key SECRETS_KEY / the key file holds (`name` is the
 * value's authenticated name). Plaintext is refused: start-up encrypts legacy rows, so a plaintext
 * value now can only have been written around the server (someone substituting a key of theirs).
 */
export function unseal(name: string, stored: string): string {
  const id = sealedKeyId(stored);
  if (id === null)
    throw new Error(
      `server secret ${name} is stored unencrypted; restart the server to encrypt it`,
    );
  let key = secretsKeyring().find(id);
  if (!key && reloadSecretsKeyring(id)) key = secretsKeyring().find(id);
  if (!key)
    throw new Error(
      `server secret ${name} is encrypted with key ${id}, which SECRETS_KEY / SECRETS_KEY_FILE does not hold`,
    );
  return openSecret(key, name, stored);
}

/** The named secret's plaintext, or undefined when it does not exist. */
export async function readServerSecret(db: Queryable, name: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  return row ? unseal(name, row.value) : undefined;
}

/**
 * Stores `value` under `name` encrypted with the current key unless the name exists, and
 * answers what is stored now. A concurrent first use by another instance is resolved by the
 * primary key: whoever inserted first wins and everyone reads that value.
 */
export async function storeServerSecretIfAbsent(
  db: Queryable,
  name: string,
  value: string,
): Promise<string> {
  await db
    .insert(serverSecrets)
    .values({ name, value: sealSecret(secretsKeyring().current, name, value) })
    .onConflictDoNothing();
  return (await readServerSecret(db, name))!;
}

/** The named random secret (hex), created on first use. */
export async function serverSecret(db: Queryable, name: string, bytes = 32): Promise<string> {
  return (
    (await readServerSecret(db, name)) ??
    storeServerSecretIfAbsent(db, name, randomBytes(bytes).toString('hex'))
  );
}

/**
 * Encrypts every plaintext row left by a version that stored secrets in clear, in one
 * transaction. Run at start-up (server and CLI). Answers how many rows it encrypted.
 */
export async function encryptPlaintextSecrets(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(serverSecrets).for('update');
    let n = 0;
    for (const row of rows) {
      if (row.value.startsWith(SEALED_PREFIX)) continue;
      await tx
        .update(serverSecrets)
        .set({ value: sealSecret(secretsKeyring().current, row.name, row.value) })
        .where(eq(serverSecrets.name, row.name));
      n += 1;
    }
    return n;
  });
}

/**
 * Re-encrypts every secret with `ring`'s current key in one transaction: all rows move or none
 * does; `also` re-seals other values sealed with the key (it runs with the ring installed). Values under any key the ring holds are accepted (the old key during a rotation).
 */
export async function reencryptSecrets(
  db: Database,
  ring: SecretsKeyring,
  also?: (tx: Tx) => Promise<unknown>,
): Promise<number> {
  return db.transaction(async (tx) => {
    // Other values sealed with the key (documents' data keys) move in the same transaction.
    if (also) await also(tx);
    const rows = await tx.select().from(serverSecrets).for('update');
    for (const row of rows) {
      const id = sealedKeyId(row.value);
      const key = id === null ? undefined : ring.find(id);
      // A plaintext row here was not written by us (start-up encrypts legacy rows): unseal refuses it.
      const plain = key ? openSecret(key, row.name, row.value) : unseal(row.name, row.value);
      await tx
        .update(serverSecrets)
        .set({ value: sealSecret(ring.current, row.name, plain) })
        .where(eq(serverSecrets.name, row.name));
    }
    return rows.length;
  });
}
