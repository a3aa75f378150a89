import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createLogger } from '../lib/logger.js';
import { serverSecrets } from '../modules/secrets/secrets.tables.js';
import { readServerSecret } from '../modules/secrets/server-secrets.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { securePrivateDir } from './private-data-dir.js';
import { startServer } from './start-server.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Every directory and file under `dir` with a mode that lets others in. */
function looseModes(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (mode(d) & 0o077) out.push(`${d} ${mode(d).toString(8)}`);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(full);
      else if (mode(full) & 0o077) out.push(`${full} ${mode(full).toString(8)}`);
    }
  };
  walk(dir);
  return out;
}

describe(`the data directory is private (${TEST_DRIVER})`, { timeout: 120_000 }, () => {
  let root: string;
  let pg: TestDatabase | null = null;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-datadir-'));
    if (TEST_DRIVER === 'postgres') pg = await createTestDatabase();
  });
  afterAll(async () => {
    await pg?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates DATA_DIR 0700 and tightens what an older version left world-readable', () => {
    const dir = path.join(root, 'old');
    fs.mkdirSync(path.join(dir, 'pglite', 'base'), { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'pglite', 'base', 'relation'), 'participant data', {
      mode: 0o644,
    });
    fs.writeFileSync(path.join(dir, 'consentome.lock'), '{}', { mode: 0o644 });
    expect(looseModes(dir)).not.toEqual([]);
    expect(securePrivateDir(dir)).toBeGreaterThan(0);
    expect(looseModes(dir)).toEqual([]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'pglite', 'base', 'relation'))).toBe(0o600);
    expect(securePrivateDir(path.join(root, 'new', 'nested'))).toBe(0);
    expect(mode(path.join(root, 'new', 'nested'))).toBe(0o700);
  });

  it('a server started on a world-readable directory with plaintext secrets leaves neither', async () => {
    const dataDir = path.join(root, 'serve');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    // What an older version left: a migrated database holding a signing key in clear.
    const location = pg ? { url: pg.url! } : { pgliteDir: path.join(dataDir, 'pglite') };
    const before = await openDatabase(location);
    await migrateDatabase(before);
    await before.db
      .insert(serverSecrets)
      .values({ name: 'passport-signing-key-legacy', value: '{"kty":"EC","d":"secret-d"}' });
    await before.close();
    const oldUmask = process.umask(0o022);
    try {
      const config = {
        ...loadConfig({
          DATA_DIR: dataDir,
          API_PORT: '0',
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DEMO_SEED: 'false',
          ...(pg ? { DATABASE_URL: pg.url! } : {}),
        }),
        chainRelay: false,
      };
      const running = await startServer(config, createLogger('silent'));
      try {
        expect(mode(dataDir)).toBe(0o700);
        expect(mode(path.join(dataDir, 'secrets.key'))).toBe(0o600);
        // A file the database had before the start (all participant data lives beside it).
        if (!pg) expect(mode(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(0o600);
        const handle = pg ? await openDatabase(location) : null;
        const db = handle?.db ?? null;
        if (db) {
          const [row] = await db
            .select()
            .from(serverSecrets)
            .where(eq(serverSecrets.name, 'passport-signing-key-legacy'));
          expect(row!.value).toMatch(/^enc:v1:/);
          expect(row!.value).not.toContain('secret-d');
          expect(await readServerSecret(db, 'passport-signing-key-legacy')).toContain('secret-d');
          await handle!.close();
        }
      } finally {
        await running.close();
      }
      // Only what the server created while running can still carry the umask's 0644: a start
      // tightens it again. (The CLI runs with umask 077, so under `serve` nothing is created loose.)
      securePrivateDir(dataDir);
      expect(looseModes(dataDir)).toEqual([]);
      if (!pg) {
        const after = await openDatabase(location);
        const [row] = await after.db
          .select()
          .from(serverSecrets)
          .where(eq(serverSecrets.name, 'passport-signing-key-legacy'));
        expect(row!.value).toMatch(/^enc:v1:/);
        expect(row!.value).not.toContain('secret-d');
        await after.close();
      }
    } finally {
      process.umask(oldUmask);
    }
  });
});
