#!/usr/bin/env node
// Starts the whole product on its defaults: the API (which migrates, and seeds the demo into an
// empty embedded database) and then the portal. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = process.env.API_PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const apiHost = process.env.API_HOST ?? '127.0.0.1';
const apiUrl = `http://${apiHost}:${apiPort}/graphql`;
const children = [];

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

run('api', ['server/bin/consentome.js', 'serve'], {
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
  // Uploads (VCF files, IRB letters) pass through the portal; adapter-node's default is 512 KB.
  BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '2G',
});
await sleep(300);
console.log(`
  Consentome is running
    Portal   ${origin}
    API      ${apiUrl}${process.env.NODE_ENV === 'production' ? '' : '  (GraphiQL in the browser)'}
  Press Ctrl-C to stop.
`);
