#!/usr/bin/env node
// `npm run start:chain`: the whole product on a fresh wasmd localnet. Starts the localnet
// (scripts/chain/localnet.mjs) under .data/start-chain/localnet, waits for its chain.env, then runs
// scripts/start.mjs (API + portal, demo seeded) with those variables and its own data directory
// (.data/start-chain/api: receipts of one chain never mix with another's). Ctrl-C stops everything.
// Both folders are wiped at each start: the chain is fresh, so the database must be too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const base = path.resolve(process.env.START_CHAIN_DIR ?? path.join(root, '.data/start-chain'));
const home = path.join(base, 'localnet');
fs.rmSync(base, { recursive: true, force: true });
fs.mkdirSync(home, { recursive: true });

const children = [];
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // The product first, then the chain it writes to.
  const [localnet, product] = children;
  const exited = (c) =>
    c && c.exitCode === null && c.signalCode === null
      ? new Promise((r) => c.once('exit', r))
      : Promise.resolve();
  if (product && product.exitCode === null) product.kill('SIGTERM');
  exited(product)
    .then(() => {
      if (localnet && localnet.exitCode === null) localnet.kill('SIGTERM');
      return exited(localnet);
    })
    .then(() => process.exit(code));
  setTimeout(() => process.exit(code), 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const localnet = spawn(
  process.execPath,
  [path.join(root, 'scripts/chain/localnet.mjs'), '--home', home, ...process.argv.slice(2)],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
children.push(localnet);
localnet.on('exit', (code) => {
  if (!stopping) {
    console.error(`[start:chain] the localnet exited (${code}); stopping.`);
    stop(1);
  }
});

const envFile = path.join(home, 'chain.env');
while (!fs.existsSync(envFile)) {
  if (stopping) await new Promise(() => {});
  await sleep(200);
}
const chainEnv = {};
for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line);
  if (m) chainEnv[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
}
console.log(
  `[start:chain] chain ${chainEnv.CHAIN_ID} at ${chainEnv.CHAIN_RPC_URL}, contract ${chainEnv.CONSENT_CONTRACT_ADDRESS}`,
);
const product = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, ...chainEnv, DATA_DIR: path.join(base, 'api') },
});
children.push(product);
product.on('exit', (code) => {
  if (!stopping) stop(code ?? 1);
});
