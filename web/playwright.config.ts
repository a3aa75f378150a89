import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { demoInstitutions } from '../scripts/oidc/test-provider.mjs';

// One fresh embedded database per run. Workers re-read this file, so the directory is chosen
// once and handed down through the environment.
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-e2e-'));
// The API writes e-mail here (MAIL_OUTBOX_DIR), so specs can open the links a person would get.
process.env.E2E_MAIL_OUTBOX ??= path.join(process.env.E2E_DATA_DIR, 'outbox');
// Ports chosen once per run (workers inherit them), away from the defaults a developer's
// `npm start` or another test run may hold.
process.env.E2E_API_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
process.env.E2E_WEB_PORT ??= String(Number(process.env.E2E_API_PORT) + 1);
// The secret portal and API share for the signed client address (see hooks.server.ts).
process.env.E2E_FORWARD_SECRET ??= randomBytes(32).toString('base64url');
const API_PORT = process.env.E2E_API_PORT;
const WEB_PORT = process.env.E2E_WEB_PORT;
// The portal's origin for browser, portal and API alike. `localhost`, not 127.0.0.1: WebAuthn
// refuses an IP address as relying-party id ("This is an invalid domain"), and the API takes
// its passkey RP id from this origin's host name (passkeys.spec.ts).
process.env.E2E_WEB_ORIGIN ??= `http://localhost:${WEB_PORT}`;
const WEB_ORIGIN = process.env.E2E_WEB_ORIGIN;
// The test institutions (a real OpenID provider) on the two ports after the portal's.
const OIDC_PORT = String(Number(WEB_PORT) + 1);
const { oidcProviders } = demoInstitutions(Number(OIDC_PORT));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  // CI machines have two cores shared with the API and the portal: give assertions room.
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: WEB_ORIGIN,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Screenshots of each main page (desktop and 375 px) are written by the tests themselves.
    launchOptions: {
      executablePath: chromium,
      // As root in a container Chromium needs --no-sandbox; the rest keeps it off the network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testIgnore: /\.last\.spec\.ts$/,
    },
    // Specs that end the demo for good (erasing the demo patient) run after all the others.
    {
      name: 'last',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testMatch: /\.last\.spec\.ts$/,
      dependencies: ['chromium'],
    },
  ],
  webServer: [
    {
      name: 'oidc',
      command: 'node ../scripts/oidc/test-provider.mjs',
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      env: { OIDC_TEST_PORT: OIDC_PORT, WEB_ORIGIN },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
    },
    {
      name: 'api',
      command: 'node ../server/bin/consentome.js serve',
      url: `http://127.0.0.1:${API_PORT}/health`,
      env: {
        DATA_DIR: process.env.E2E_DATA_DIR,
        MAIL_OUTBOX_DIR: process.env.E2E_MAIL_OUTBOX,
        API_PORT,
        WEB_PORT,
        WEB_ORIGIN,
        DEMO_SEED: 'true',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        // Second-factor specs turn it on per account; the other specs use password sessions.
        OIDC_PROVIDERS: oidcProviders,
        MFA_REQUIRED_ROLES: '',
        STEP_UP_ACTIONS: '',
        // The journeys show the board the response rate: participants are asked at submission
        // (the default, after approval, is tested in the server's story tests).
        CONSENT_REQUESTS_WHEN: 'before_decision',
        PORTAL_FORWARD_SECRET: process.env.E2E_FORWARD_SECRET,
        UPLOAD_MAX_MB: '8',
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
    },
    {
      name: 'portal',
      command: 'node build/index.js',
      url: `http://127.0.0.1:${WEB_PORT}/login`,
      env: {
        PORT: WEB_PORT,
        HOST: '127.0.0.1',
        ORIGIN: WEB_ORIGIN,
        BODY_SIZE_LIMIT: '9M',
        UPLOAD_MAX_MB: '8',
        PORTAL_FORWARD_SECRET: process.env.E2E_FORWARD_SECRET,
        // The tests play several browsers from one machine: each names its address in
        // X-Forwarded-For, as a reverse proxy in front of the portal would (adapter-node).
        ADDRESS_HEADER: 'x-forwarded-for',
        XFF_DEPTH: '1',
        API_URL: `http://127.0.0.1:${API_PORT}/graphql`,
      },
      reuseExistingServer: false,
      timeout: 90_000,
      // CI machines have two cores shared with the API and the portal: give assertions room.
      expect: { timeout: 15_000 },
    },
  ],
});
