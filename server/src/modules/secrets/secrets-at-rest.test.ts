import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { serverSecrets } from './secrets.tables.js';
import { sealedKeyId } from './secret-cipher.js';
import {
  encryptPlaintextSecrets,
  readServerSecret,
  serverSecret,
  storeServerSecretIfAbsent,
} from './server-secrets.js';
import {
  generateKeyText,
  installSecretsKeyring,
  keyId,
  loadSecretsKeyring,
  writeKeyFile,
} from '../../lib/secrets-keyring.js';
import { rotateSecretsKey } from './secrets-rotation.js';

const stored = async (db: TestDatabase, name: string) =>
  (await db.db.select().from(serverSecrets).where(eq(serverSecrets.name, name)))[0]?.value;

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe(`server secrets encrypted at rest (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-secrets-'));
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores AES-256-GCM ciphertext, never the value; reads it back', async () => {
    const value = await serverSecret(db.db, 'count-noise-key-test');
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    const row = (await stored(db, 'count-noise-key-test'))!;
    expect(row).toMatch(/^enc:v1:[0-9a-f]{16}:/);
    expect(row).not.toContain(value);
    expect(await serverSecret(db.db, 'count-noise-key-test')).toBe(value);
  });

  it('refuses a value moved onto another name, an altered value and a plaintext value', async () => {
    const sealed = (await stored(db, 'count-noise-key-test'))!;
    await db.db.insert(serverSecrets).values({ name: 'moved', value: sealed });
    await expect(readServerSecret(db.db, 'moved')).rejects.toThrow(/failed authentication/);
    const flipped = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-2);
    await db.db.insert(serverSecrets).values({ name: 'altered', value: flipped });
    await expect(readServerSecret(db.db, 'altered')).rejects.toThrow();
    // An attacker writing a key of their own in clear (e.g. a signing key) is not served.
    await db.db.insert(serverSecrets).values({ name: 'planted', value: 'deadbeef' });
    await expect(readServerSecret(db.db, 'planted')).rejects.toThrow(/stored unencrypted/);
    await db.db.delete(serverSecrets).where(eq(serverSecrets.name, 'moved'));
    await db.db.delete(serverSecrets).where(eq(serverSecrets.name, 'altered'));
    await db.db.delete(serverSecrets).where(eq(serverSecrets.name, 'planted'));
  });

  it('encrypts the plaintext rows an older version left, once', async () => {
    await db.db.insert(serverSecrets).values([
      { name: 'legacy-a', value: 'legacy secret a' },
      { name: 'legacy-b', value: '{"kty":"EC","d":"private"}' },
    ]);
    expect(await encryptPlaintextSecrets(db.db)).toBe(2);
    expect(await stored(db, 'legacy-b')).toMatch(/^enc:v1:/);
    expect(await stored(db, 'legacy-b')).not.toContain('private');
    expect(await readServerSecret(db.db, 'legacy-a')).toBe('legacy secret a');
    expect(await readServerSecret(db.db, 'legacy-b')).toBe('{"kty":"EC","d":"private"}');
    expect(await encryptPlaintextSecrets(db.db)).toBe(0);
  });

  it('generates a key file 0600 when none exists, and tightens an existing one', () => {
    const file = path.join(dir, 'keys', 'secrets.key');
    const ring = loadSecretsKeyring({ kind: 'file', path: file });
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    fs.chmodSync(file, 0o644);
    expect(loadSecretsKeyring({ kind: 'file', path: file }).current.id).toBe(ring.current.id);
    expect(mode(file)).toBe(0o600);
  });

  it('rotates a key file: every row re-encrypted in one transaction, the old key retired', async () => {
    const file = path.join(dir, 'rotate.key');
    const old = installSecretsKeyring(loadSecretsKeyring({ kind: 'file', path: file })).current;
    // Every row is moved to the file's key first (as a start on this key would leave them).
    await rotateSecretsKey(db.db);
    const before = loadSecretsKeyring({ kind: 'file', path: file }).current;
    expect(before.id).not.toBe(old.id);
    const values = {
      a: await readServerSecret(db.db, 'legacy-a'),
      noise: await readServerSecret(db.db, 'count-noise-key-test'),
    };
    const r = await rotateSecretsKey(db.db);
    expect(r.retired).toEqual([before.id]);
    const rows = await db.db.select().from(serverSecrets);
    expect(r.reencrypted).toBe(rows.length);
    expect(new Set(rows.map((row) => sealedKeyId(row.value)))).toEqual(new Set([r.keyId]));
    const onDisk = loadSecretsKeyring({ kind: 'file', path: file });
    expect([...onDisk.keys.keys()]).toEqual([r.keyId]);
    expect(mode(file)).toBe(0o600);
    expect(await readServerSecret(db.db, 'legacy-a')).toBe(values.a);
    expect(await readServerSecret(db.db, 'count-noise-key-test')).toBe(values.noise);
  });

  it('accepts the old key during a rotation interrupted after the new key was written', async () => {
    const file = path.join(dir, 'rotate.key');
    const current = loadSecretsKeyring({ kind: 'file', path: file }).current;
    const next = loadSecretsKeyring({ kind: 'env', value: generateKeyText() }).current;
    // The crash: the file names the new key first, the rows are all still under the old one.
    writeKeyFile(file, [next, current]);
    installSecretsKeyring(loadSecretsKeyring({ kind: 'file', path: file }));
    expect(await readServerSecret(db.db, 'legacy-a')).toBe('legacy secret a');
    await storeServerSecretIfAbsent(db.db, 'written-mid-rotation', 'new value');
    expect(sealedKeyId((await stored(db, 'written-mid-rotation'))!)).toBe(next.id);
    // Running the command again finishes it.
    const r = await rotateSecretsKey(db.db);
    expect(r.retired.sort()).toEqual([next.id, current.id].sort());
    expect(await readServerSecret(db.db, 'written-mid-rotation')).toBe('new value');
  });

  it('rotates with SECRETS_KEY: the new key first, the old one after a comma', async () => {
    const file = path.join(dir, 'rotate.key');
    const oldText = fs.readFileSync(file, 'utf8').split('\n')[1]!;
    const newText = generateKeyText();
    installSecretsKeyring(loadSecretsKeyring({ kind: 'env', value: oldText }));
    await expect(rotateSecretsKey(db.db)).rejects.toThrow(/SECRETS_KEY holds one key/);
    installSecretsKeyring(loadSecretsKeyring({ kind: 'env', value: `${newText},${oldText}` }));
    const r = await rotateSecretsKey(db.db);
    expect(r.keyId).toBe(keyId(Buffer.from(newText, 'base64')));
    const rows = await db.db.select().from(serverSecrets);
    expect(new Set(rows.map((row) => sealedKeyId(row.value)))).toEqual(new Set([r.keyId]));
  });

  it('refuses a malformed key', () => {
    expect(() => loadSecretsKeyring({ kind: 'env', value: 'too-short' })).toThrow(/32 bytes/);
  });
});
