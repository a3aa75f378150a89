#!/usr/bin/env node
// Starts the whole product on its defaults: the API (which migrates, and seeds the demo into an
// empty embedded database) and then the portal. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { demoInstitutions } from './oidc/test-provider.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = process.env.API_PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const apiHost = process.env.API_HOST ?? '127.0.0.1';
const apiUrl = `http://${apiHost}:${apiPort}/graphql`;
const children = [];
// The portal signs each browser's address for the API's rate limits with a secret only these two
// processes share; a fresh one per start unless the operator set one.
const portalForwardSecret =
  process.env.PORTAL_FORWARD_SECRET ?? randomBytes(32).toString('base64url');
// `consentome serve` defaults to production; the demo started here is development (GraphiQL).
const nodeEnv = process.env.NODE_ENV ?? 'development';
// One upload limit for the portal and the API; adapter-node's limit leaves room for the form.
const uploadMaxMb = process.env.UPLOAD_MAX_MB ?? '256';

function run(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping.`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null)),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The demo's institutions: a real OpenID provider on loopback (scripts/oidc/test-provider.mjs),
// so the sign-in page offers "Sign in with Demo University". Not when the operator configured
// providers of their own, or set DEMO_OIDC=false.
const demoOidc =
  !process.env.OIDC_PROVIDERS &&
  !process.env.OIDC_PROVIDERS_FILE &&
  process.env.DEMO_OIDC !== 'false';
const oidcEnv = {};
if (demoOidc) {
  // Ports 4100 and 4101 unless OIDC_TEST_PORT names the first.
  const oidcPort = process.env.OIDC_TEST_PORT ? Number(process.env.OIDC_TEST_PORT) : undefined;
  run('oidc', ['scripts/oidc/test-provider.mjs'], {
    WEB_ORIGIN: process.env.WEB_ORIGIN ?? `http://127.0.0.1:${webPort}`,
  });
  oidcEnv.OIDC_PROVIDERS = demoInstitutions(oidcPort).oidcProviders;
}

run('api', ['server/bin/consentome.js', 'serve'], {
  ...oidcEnv,
  NODE_ENV: nodeEnv,
  PORTAL_FORWARD_SECRET: portalForwardSecret,
  UPLOAD_MAX_MB: uploadMaxMb,
  API_PORT: apiPort,
  API_HOST: apiHost,
  WEB_PORT: webPort,
});

// The portal needs the API; wait for its health endpoint (first start migrates and seeds).
const health = `http://${apiHost}:${apiPort}/health`;
for (let i = 0; ; i += 1) {
  try {
    if ((await fetch(health)).ok) break;
  } catch {
    // not up yet
  }
  if (stopping) await new Promise(() => {});
  if (i === 600) {
    console.error('[start] the API did not become healthy within 60 s');
    stop(1);
  }
  await sleep(100);
}

// adapter-node needs to know its public origin (form actions check it against the browser's).
const origin = process.env.WEB_ORIGIN ?? `http://127.0.0.1:${webPort}`;
run('web', ['web/build/index.js'], {
  PORT: webPort,
  HOST: '127.0.0.1',
  API_URL: apiUrl,
  ORIGIN: origin,
  PORTAL_FORWARD_SECRET: portalForwardSecret,
  UPLOAD_MAX_MB: uploadMaxMb,
  // Uploads (VCF files, IRB letters) pass through the portal: the upload limit plus 1 MB of form.
  // The portal itself keeps every other route (and anonymous callers) to 1 MB.
  BODY_SIZE_LIMIT: `${Number(uploadMaxMb) + 1}M`,
});
await sleep(300);
console.log(`
  Consentome is running
    Portal   ${origin}
    API      ${apiUrl}${nodeEnv === 'production' ? '' : '  (GraphiQL in the browser)'}${
      demoOidc ? '\n    Demo University sign-in: rhea@demo-university.example / demo-password' : ''
    }
  Press Ctrl-C to stop.
`);
