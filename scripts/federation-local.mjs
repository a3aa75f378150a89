#!/usr/bin/env node
// `npm run federation:local`: a network of three institutions on one machine (issue #14).
// Starts a three-validator wasmd localnet (scripts/chain/localnet.mjs --validators 3) under
// .data/federation/localnet, gives each institution its own chain key (fresh, funded by a bank
// send from the localnet's relayer), starts each institution's API and portal
// (scripts/start.mjs) with its own data directory and ports, then admits the three to the
// contract's member registry with the contract admin's key (each with the Passport key id its
// API publishes) and closes the bootstrap: from then on only the members govern the network.
// Then it sets each site's WebAuthn relying party on chain and links the demo participant's
// records at North Hospital and South Clinic (scripts/federation/link-demo-participant.ts).
// Each site seeds its own share of the demo (its own synthetic cohort: SITES[].cohort).
// Everything is wiped at each start (a fresh chain needs fresh databases). Ctrl-C stops it all.
//
//   npm run federation:local            site 1: portal :3201, API :4201; site 2 :3202/:4202; …
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningConsentLedger, connectRealChain } from '@consentome/contracts-client';

const root = fileURLToPath(new URL('..', import.meta.url));
const base = path.resolve(process.env.FEDERATION_DIR ?? path.join(root, '.data/federation'));
const home = path.join(base, 'localnet');
// Each site's share of the demo: its own synthetic panel cohort (seed, size), so the sites hold
// different people; the demo accounts, datasets and workflow are at each.
const SITES = [
  {
    id: 'north-hospital',
    name: 'North Hospital',
    apiPort: 4201,
    webPort: 3201,
    cohort: [2026, 2000],
  },
  { id: 'south-clinic', name: 'South Clinic', apiPort: 4202, webPort: 3202, cohort: [2027, 1500] },
  {
    id: 'east-institute',
    name: 'East Research Institute',
    apiPort: 4203,
    webPort: 3203,
    cohort: [2028, 1000],
  },
];
const started = performance.now();
fs.rmSync(base, { recursive: true, force: true });
fs.mkdirSync(home, { recursive: true });

const children = [];
let stopping = false;
const say = (text) => console.log(`[federation] ${text}`);
const alive = (c) => c.exitCode === null && c.signalCode === null;

/** Stops the institutions first, then the chain they write to. */
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const [localnet, ...sites] = children;
  for (const c of sites) if (alive(c)) c.kill('SIGTERM');
  Promise.all(sites.map((c) => (alive(c) ? new Promise((r) => c.once('exit', r)) : null)))
    .then(() => {
      if (localnet && alive(localnet)) localnet.kill('SIGTERM');
      return localnet && alive(localnet) ? new Promise((r) => localnet.once('exit', r)) : null;
    })
    .then(() => process.exit(code));
  setTimeout(() => process.exit(code), 20_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

function spawnChild(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`[federation] ${name} exited (${code}); stopping.`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

spawnChild('localnet', [
  path.join(root, 'scripts/chain/localnet.mjs'),
  '--home',
  home,
  '--validators',
  '3',
  '--port-base',
  'auto',
]);
const envFile = path.join(home, 'chain.env');
while (!fs.existsSync(envFile)) await sleep(200);
const chainEnv = {};
for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line);
  if (m) chainEnv[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
}
const params = {
  rpcUrl: chainEnv.CHAIN_RPC_URL,
  prefix: chainEnv.CHAIN_PREFIX,
  gasPrice: chainEnv.CHAIN_GAS_PRICE,
};
say(`chain ${chainEnv.CHAIN_ID} (3 validators) at ${params.rpcUrl}`);

// Each institution signs with its own key: a member's writer is its own address.
const denom = /^[0-9.]+(.+)$/.exec(params.gasPrice)[1];
const relayer = await DirectSecp256k1HdWallet.fromMnemonic(chainEnv.CHAIN_MNEMONIC, {
  prefix: params.prefix,
});
const [funder] = await relayer.getAccounts();
const bank = await SigningCosmWasmClient.connectWithSigner(params.rpcUrl, relayer);
// A bank send costs well under 200k gas; the fee follows the localnet's gas price.
const price = Number(/^[0-9.]+/.exec(params.gasPrice)[0]);
const fee = { amount: [{ denom, amount: String(Math.ceil(price * 200_000)) }], gas: '200000' };
for (const site of SITES) {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: params.prefix });
  site.mnemonic = wallet.mnemonic;
  site.address = (await wallet.getAccounts())[0].address;
  await bank.sendTokens(funder.address, site.address, [{ denom, amount: '5000000000' }], fee);
}
bank.disconnect();

for (const [i, site] of SITES.entries()) {
  spawnChild(site.id, [path.join(root, 'scripts/start.mjs')], {
    ...chainEnv,
    CHAIN_MNEMONIC: site.mnemonic,
    DATA_DIR: path.join(base, site.id),
    API_PORT: String(site.apiPort),
    WEB_PORT: String(site.webPort),
    DEMO_COHORT_SEED: String(site.cohort[0]),
    DEMO_COHORT_SIZE: String(site.cohort[1]),
    // One demo OpenID provider is enough (it takes fixed ports).
    ...(i === 0 ? {} : { DEMO_OIDC: 'false' }),
  });
}

// Admit each institution with the Passport key id its API publishes.
const admin = await connectRealChain({ ...params, mnemonic: chainEnv.CHAIN_ADMIN_MNEMONIC });
const registry = new SigningConsentLedger(
  admin.backend,
  chainEnv.CONSENT_CONTRACT_ADDRESS,
  admin.sender,
);
for (const site of SITES) {
  const origin = `http://127.0.0.1:${site.apiPort}`;
  let jwks = null;
  for (let t = 0; !jwks; t += 1) {
    jwks = await fetch(`${origin}/.well-known/jwks.json`)
      .then((r) => (r.ok ? r.json() : null))
      .catch(() => null);
    if (!jwks) {
      if (t === 1200) throw new Error(`${site.id}'s API did not start within 2 minutes`);
      await sleep(100);
    }
  }
  await registry.admitMember({
    id: site.id,
    name: site.name,
    writer: site.address,
    passport_jwks_url: `${origin}/.well-known/jwks.json`,
    passport_key_ids: jwks.keys.map((k) => k.kid),
    beacon_url: `${origin}/api/beacon`,
  });
  say(`admitted ${site.id} (${site.address})`);
}
await registry.closeBootstrap();
say('bootstrap closed: the three members now govern the network');
await admin.backend.close();

// Each site's WebAuthn relying party on chain (a site sets it itself at start-up only when it is
// already a member): the contract checks the passkeys a site registers against its own.
for (const site of SITES) {
  const own = await connectRealChain({ ...params, mnemonic: site.mnemonic });
  const ledger = new SigningConsentLedger(
    own.backend,
    chainEnv.CONSENT_CONTRACT_ADDRESS,
    own.sender,
  );
  // The site's relay signs with the same key: a clash of sequence numbers is tried again.
  for (let t = 0; ; t += 1) {
    try {
      await ledger.setSiteWebauthn({
        origin: `http://127.0.0.1:${site.webPort}`,
        rp_id: '127.0.0.1',
      });
      break;
    } catch (error) {
      if (t === 10) throw error;
      await sleep(1_000);
    }
  }
  await own.backend.close();
}

// The demo participant links their records at North Hospital and South Clinic.
const [north, south] = SITES;
const linker = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'scripts/federation/link-demo-participant.ts'),
    `http://127.0.0.1:${north.apiPort}`,
    `http://127.0.0.1:${north.webPort}`,
    `http://127.0.0.1:${south.apiPort}`,
    `http://127.0.0.1:${south.webPort}`,
    south.id,
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
const linked = await new Promise((resolve) => linker.once('exit', (code) => resolve(code === 0)));
if (!linked)
  say('could not link the demo participant at two sites (see above); the network runs without it');
say(`up in ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`
  A network of three institutions is running on one wasmd localnet (3 validators)
${SITES.map((s) => `    ${s.name.padEnd(24)} portal http://127.0.0.1:${s.webPort}   API http://127.0.0.1:${s.apiPort}/graphql`).join('\n')}
  Each has the demo accounts (password demo-password) and its own people. Sign in as
  researcher@demo.local at one of them, open Cohorts and press "Count across the network"; an
  administrator's Network page lists the members read from the chain. patient@demo.local has
  linked their records at North Hospital and South Clinic (see their Timeline at either).
  Press Ctrl-C to stop.
`);
