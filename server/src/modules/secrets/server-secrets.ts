import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { serverSecrets } from './secrets.tables.js';

/**
 * The named secret (hex), created on first use. A concurrent first use by another instance is
 * resolved by the primary key: whoever inserted first wins and everyone reads that value.
 */
export async function serverSecret(db: Queryable, name: string, bytes = 32): Promise<string> {
  const [hit] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  if (hit) return hit.value;
  await db
    .insert(serverSecrets)
    .values({ name, value: randomBytes(bytes).toString('hex') })
    .onConflictDoNothing();
  const [stored] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  return stored!.value;
}

/** The stored value of a named secret, if there is one. */
export async function storedSecret(db: Queryable, name: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  return row?.value;
}

/**
 * Stores a secret made elsewhere (a signing key) unless one of that name exists, and answers the
 * stored value: with concurrent first use, the first insert wins and everyone reads it.
 */
export async function storeSecretOnce(db: Queryable, name: string, value: string): Promise<string> {
  await db.insert(serverSecrets).values({ name, value }).onConflictDoNothing();
  return (await storedSecret(db, name))!;
}
