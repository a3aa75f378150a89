import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the key that encrypts server_secrets comes from. Never the database itself. */
export type SecretsKeySource =
  /** `SECRETS_KEY`: one or more base64 (or hex) 32-byte keys, comma-separated, current first. */
  | { kind: 'env'; value: string }
  /** `SECRETS_KEY_FILE`: one key per line, current first; generated (0600) when missing. */
  | { kind: 'file'; path: string };

/** One AES-256 key and the short id stored beside each value it encrypted. */
export interface SecretsKey {
  id: string;
  key: Buffer;
}

/**
 * The keys that encrypt server secrets: the current one (used for every new value) and older
 * ones still accepted for reading during a rotation.
 */
export class SecretsKeyring {
  readonly keys: ReadonlyMap<string, SecretsKey>;

  constructor(
    readonly current: SecretsKey,
    others: readonly SecretsKey[],
    readonly source: SecretsKeySource | null,
  ) {
    this.keys = new Map([current, ...others].map((k) => [k.id, k]));
  }

  /** The key with this id, or undefined when this keyring does not hold it. */
  find(id: string): SecretsKey | undefined {
    return this.keys.get(id);
  }
}

/** A short, stable id of a key (not the key): a hash prefix, so it reveals nothing useful. */
export function keyId(key: Buffer): string {
  return createHash('sha256')
    .update('consentome secrets key id\0')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

function parseKey(text: string, where: string): SecretsKey {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new Error(`${where}: each key must be 32 bytes, base64 or 64 hex digits`);
  return { id: keyId(key), key };
}

function parseKeys(text: string, separator: RegExp, where: string): SecretsKey[] {
  const keys = text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'))
    .map((s) => parseKey(s, where));
  if (keys.length === 0) throw new Error(`${where}: no key found`);
  return keys;
}

/** A new random key, base64. */
export function generateKeyText(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Writes a key file atomically (temporary file, fsync, rename) with mode 0600, current key
 * first. A crash leaves either the old file or the new one, never half of one.
 */
export function writeKeyFile(file: string, keys: readonly SecretsKey[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const text =
    '# Consentome server-secrets keys (AES-256-GCM), current first. Keep outside the database.\n' +
    keys.map((k) => k.key.toString('base64')).join('\n') +
    '\n';
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}

/**
 * Loads the keyring from its source. A missing key file is created with a fresh key (mode
 * 0600, created exclusively so two starting processes cannot each write a different key); an
 * existing one is tightened to 0600.
 */
export function loadSecretsKeyring(source: SecretsKeySource): SecretsKeyring {
  if (source.kind === 'env') {
    const [current, ...others] = parseKeys(source.value, /,/, 'SECRETS_KEY');
    return new SecretsKeyring(current!, others, source);
  }
  fs.mkdirSync(path.dirname(source.path), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(
      source.path,
      `# Consentome server-secrets key (AES-256-GCM). Keep outside the database.\n${generateKeyText()}\n`,
      { mode: 0o600, flag: 'wx' },
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.chmodSync(source.path, 0o600);
  const [current, ...others] = parseKeys(
    fs.readFileSync(source.path, 'utf8'),
    /\r?\n/,
    `SECRETS_KEY_FILE ${source.path}`,
  );
  return new SecretsKeyring(current!, others, source);
}

/** The key source the environment names: SECRETS_KEY, else SECRETS_KEY_FILE, else DATA_DIR/secrets.key. */
export function secretsKeySourceFromEnv(
  env: NodeJS.ProcessEnv,
  dataDir: string = path.resolve(env.DATA_DIR ?? '.data'),
): SecretsKeySource {
  if (env.SECRETS_KEY) return { kind: 'env', value: env.SECRETS_KEY };
  return {
    kind: 'file',
    path: path.resolve(env.SECRETS_KEY_FILE ?? path.join(dataDir, 'secrets.key')),
  };
}

let installed: SecretsKeyring | null = null;

/**
 * Makes `ring` the process's keyring. Keys installed before stay readable (merged in), so a
 * rotation never strands a value this process already wrote with an older key.
 */
export function installSecretsKeyring(ring: SecretsKeyring): SecretsKeyring {
  const others = [...ring.keys.values(), ...(installed ? [...installed.keys.values()] : [])].filter(
    (k) => k.id !== ring.current.id,
  );
  installed = new SecretsKeyring(ring.current, others, ring.source);
  return installed;
}

/**
 * The process's keyring. Servers and the CLI install it at start from their configuration; any
 * other entry point (benchmarks, scripts) gets the one the environment names on first use.
 */
export function secretsKeyring(): SecretsKeyring {
  return (
    installed ?? installSecretsKeyring(loadSecretsKeyring(secretsKeySourceFromEnv(process.env)))
  );
}

/**
 * Re-reads the key file (another instance may have rotated it) and merges what it holds.
 * Answers whether a key with `id` is now known.
 */
export function reloadSecretsKeyring(id: string): boolean {
  const ring = secretsKeyring();
  if (ring.source?.kind !== 'file') return false;
  const fresh = loadSecretsKeyring(ring.source);
  if (!fresh.find(id)) return false;
  installSecretsKeyring(fresh);
  return true;
}
