import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../app/start-server.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../lib/logger.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { curlInvocations, shellExamples } from './shell-examples.js';

const run = promisify(execFile);
const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
/** The origin every example is written against: `npm start`'s API. */
const DOCUMENTED_ORIGIN = 'http://127.0.0.1:4000';
const PAGES = ['fhir.md', 'beacon.md', 'passport.md', 'access-workflow.md'];

/**
 * Wraps curl so that every request reports its status, media type and URL on stderr, where the
 * examples' own output (and their `$(…)` captures) never see it.
 */
const PRELUDE = String.raw`set -euo pipefail
curl() { command curl --max-time 20 -w '%{stderr}@@curl|%{http_code}|%{content_type}|%{url_effective}\n' "$@"; }
`;

interface CurlResult {
  block: number;
  status: number;
  contentType: string;
  url: string;
}

/**
 * What each request must answer with: FHIR's media type under /fhir, gzip for an export's VCF
 * (BGZF), bytes for its tabix index, JSON everywhere else.
 */
function expectedMediaType(url: string): string {
  const { pathname } = new URL(url);
  if (pathname.startsWith('/fhir/')) return 'application/fhir+json';
  if (/^\/api\/exports\/[^/]+\/vcf(\.gz)?$/.test(pathname)) return 'application/gzip';
  if (/^\/api\/exports\/[^/]+\/vcf\.gz\.tbi$/.test(pathname)) return 'application/octet-stream';
  return 'application/json';
}

function parseReports(stderr: string): CurlResult[] {
  let block = -1;
  const results: CurlResult[] = [];
  for (const line of stderr.split('\n')) {
    const started = /^@@block (\d+)$/.exec(line);
    if (started) block = Number(started[1]);
    const report = /^@@curl\|(\d{3})\|([^|]*)\|(.*)$/.exec(line);
    if (report)
      results.push({ block, status: Number(report[1]), contentType: report[2]!, url: report[3]! });
  }
  return results;
}

describe(`curl examples in docs/ run against a real server (${TEST_DRIVER})`, () => {
  let server: RunningServer;
  let database: TestDatabase | null = null;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-docs-'));
    database = TEST_DRIVER === 'postgres' ? await createTestDatabase() : null;
    const env = {
      DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url! } : {}),
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      // The examples show password sessions; the second-factor policy has its own tests.
      MFA_REQUIRED_ROLES: '',
      STEP_UP_ACTIONS: '',
    };
    // A random free port and a fresh database with the demo seed, as `npm start` would have.
    server = await startServer({ ...loadConfig(env), demoSeed: true }, createLogger('silent'));
  });

  afterAll(async () => {
    await server?.close();
    await database?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(PAGES)('%s: every example succeeds as documented', async (page) => {
    const markdown = fs.readFileSync(path.join(DOCS, page), 'utf8');
    // Examples written against another address would never be exercised here.
    expect(markdown).not.toMatch(/https?:\/\/(?:localhost|127\.0\.0\.1)(?!:4000\b)/);
    const origin = new URL(server.url).origin;
    const examples = shellExamples(markdown);
    expect(examples.length).toBeGreaterThan(0);
    const script =
      PRELUDE +
      examples
        .map((e, i) => `printf '@@block ${i}\\n' >&2\n${e.code}\n`)
        .join('')
        .replaceAll(DOCUMENTED_ORIGIN, origin);
    const { stdout, stderr } = await run('bash', ['-c', script], {
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${page}: ${error.message}\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
    });
    const results = parseReports(stderr);
    examples.forEach((example, i) => {
      const ran = results.filter((r) => r.block === i);
      const where = `${page} line ${example.line}`;
      // At least one request per curl written; a shell function (see access-workflow.md) may
      // make several from one line.
      expect(ran.length, `${where}: requests made`).toBeGreaterThanOrEqual(
        Math.max(1, curlInvocations(example.code)),
      );
      for (const r of ran) {
        const context = `${where}: ${r.url}\n${stdout.slice(0, 2000)}`;
        if (example.expectStatus === null) {
          expect(r.status, context).toBeGreaterThanOrEqual(200);
          expect(r.status, context).toBeLessThan(300);
        } else {
          expect(r.status, context).toBe(example.expectStatus);
        }
        expect(r.contentType.split(';')[0], context).toBe(expectedMediaType(r.url));
      }
    });
  });
});
