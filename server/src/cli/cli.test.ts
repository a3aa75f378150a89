import { eq } from 'drizzle-orm';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startServer } from '../app/start-server.js';
import { openDatabase } from '../db/open-database.js';
import { createLogger } from '../lib/logger.js';
import { chainOutbox } from '../modules/chain/chain.tables.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the real CLI in a child process, as an operator would. */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe(`consentome CLI on ${TEST_DRIVER}`, { timeout: 120_000 }, () => {
  let dataDir = '';
  let server: TestDatabase | null = null;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-cli-'));
    if (TEST_DRIVER === 'postgres') {
      server = await createTestDatabase();
      env = { DATABASE_URL: server.url!, DATA_DIR: dataDir };
    } else {
      env = { DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    await server?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate, seed --demo, users create and audit verify work on a fresh database', async () => {
    expect((await cli(['migrate'], env)).code).toBe(0);
    const seeded = await cli(['seed', '--demo'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('patient@demo.local');
    expect(seeded.stdout).toContain('admin@demo.local');

    const again = await cli(['seed', '--demo'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/already has accounts/);

    const created = await cli(
      [
        'users',
        'create',
        '--email',
        'Board.Chair@Example.org',
        '--role',
        'ethics_board',
        '--name',
        'Chair',
      ],
      {
        ...env,
        CONSENTOME_PASSWORD: 'a long enough password',
      },
    );
    expect(created.stdout).toMatch(/Created ethics_board board\.chair@example\.org/);

    const weak = await cli(
      ['users', 'create', '--email', 'x@example.org', '--role', 'researcher', '--name', 'X'],
      {
        ...env,
        CONSENTOME_PASSWORD: 'short',
      },
    );
    expect(weak.code).toBe(1);
    expect(weak.stdout).toMatch(/password: must be at least 12 characters/);

    const badRole = await cli(
      ['users', 'create', '--email', 'y@example.org', '--role', 'god', '--name', 'Y'],
      env,
    );
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/Allowed choices are participant, researcher/);

    const verified = await cli(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Audit trail intact: \d+ events/);
  });

  it('consent verify lists the decisions of a pseudonym as the chain holds them', async () => {
    expect((await cli(['relay'], env)).code).toBe(0);
    const handle = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: path.join(dataDir, 'pglite') },
    );
    const [row] = await handle.db
      .select({ item: chainOutbox.item })
      .from(chainOutbox)
      .where(eq(chainOutbox.status, 'confirmed'))
      .limit(1);
    await handle.close();
    const subject = (row!.item as { subject: string }).subject;
    const result = await cli(['consent', 'verify', subject], env);
    expect(result.code).toBe(0);
    // The demo's decisions were recorded without a participant signature.
    expect(result.stdout).toMatch(/^institution .* recorded by the institution wasm1/m);
    expect(result.stdout).toMatch(
      /0 signed by the participant, [1-9][0-9]* recorded by the institution, 0 not on chain, 0 with a signature that fails\./,
    );
  });

  it('audit verify exits 2 and names the first altered event', async () => {
    const handle = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: path.join(dataDir, 'pglite') },
    );
    await handle.exec(`
      alter table audit_events disable trigger audit_events_no_update_or_delete;
      update audit_events set action = 'user.tampered' where seq = 3;
      alter table audit_events enable trigger audit_events_no_update_or_delete;
    `);
    await handle.close();
    const result = await cli(['audit', 'verify'], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      'Audit trail BROKEN at event 3: content does not match its hash (altered).',
    );
  });

  it('works while `serve` runs on the same database (embedded: through the control socket)', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-serve-'));
    const db = TEST_DRIVER === 'postgres' ? await createTestDatabase() : null;
    const serveEnv: Record<string, string> = {
      DATA_DIR: fresh,
      ...(db ? { DATABASE_URL: db.url! } : {}),
    };
    const config = {
      ...loadConfig({ ...serveEnv, API_PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      demoSeed: true,
    };
    const running = await startServer(config, createLogger('silent'));
    try {
      // PGlite allows one process per directory: the CLI must go through the running server.
      const verified = await cli(['audit', 'verify'], serveEnv);
      expect(verified.stdout).toMatch(/Audit trail intact/);
      const created = await cli(
        [
          'users',
          'create',
          '--email',
          'live@example.org',
          '--role',
          'researcher',
          '--name',
          'Live',
        ],
        {
          ...serveEnv,
          CONSENTOME_PASSWORD: 'a long enough password',
        },
      );
      expect(created.code).toBe(0);
      // The running server sees the account at once: log in over HTTP.
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation { login(email: "live@example.org", password: "a long enough password") { __typename } }`,
        }),
      });
      expect(
        ((await res.json()) as { data: { login: { __typename: string } } }).data.login.__typename,
      ).toBe('MutationLoginSuccess');
      // The standard endpoints are served beside GraphQL by the same server.
      const origin = new URL(running.url).origin;
      const info = await fetch(`${origin}/api/beacon/info`);
      expect(info.status).toBe(200);
      expect(((await info.json()) as { meta: { apiVersion: string } }).meta.apiVersion).toMatch(
        /^v2/,
      );
      const jwks = (await (await fetch(`${origin}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string; d?: string }[];
      };
      expect(jwks.keys).toHaveLength(1);
      const metadata = await fetch(`${origin}/fhir/metadata`);
      expect(metadata.headers.get('content-type')).toContain('application/fhir+json');
      expect(((await metadata.json()) as { resourceType: string }).resourceType).toBe(
        'CapabilityStatement',
      );
      expect(jwks.keys[0]!.d).toBeUndefined();
      if (TEST_DRIVER === 'pglite') {
        await expect(startServer(config, createLogger('silent'))).rejects.toThrow(
          /in use by process/,
        );
      }
    } finally {
      await running.close();
      await db?.dispose();
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
