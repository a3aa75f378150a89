#!/usr/bin/env node
// A wasmd localnet on 127.0.0.1 for development, tests and CI (`npm run chain:local -- --home DIR`).
//
// Makes one (or `--validators 3`: three) validator homes under DIR, funds a relayer key (the API's
// sender, a writer of the contract) and an admin key (the contract's admin), shortens blocks,
// caps the block gas so a 500-item record_consents still fits, starts the node(s), uploads and
// instantiates the committed consent-ledger wasm with the wasmd CLI, and writes DIR/chain.env.
// It then stays in the foreground; SIGINT / SIGTERM stop every node it started.
//
// Options (all optional):
//   --home DIR            where the homes and chain.env go (default: a new temp directory)
//   --validators N        1 or 3 (default 1)
//   --port-base N|auto    validator i listens on base+10i+{0 rpc, 1 p2p, 2 abci, 3 grpc}
//                         (default 26600; `auto` picks a free range)
//   --chain-id ID         default consentome-local
//   --block-ms N          timeout_commit in ms (default 300)
//   --max-gas N           consensus block max_gas (default 100000000)
//   --reuse               restart the chain already in DIR (keeps its state and contract)
//   --web-origin URL      the portal origin whose passkey signatures the contract accepts
//                         (default WEB_ORIGIN, else http://127.0.0.1:${WEB_PORT:-3000}, as the API)
// Environment: WASMD_BIN overrides the binary (default: scripts/chain/build-wasmd.sh's).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DENOM = 'ustake';
const GAS_PRICE = `0.025${DENOM}`;
const WASM = path.join(root, 'contracts/consent-ledger/artifacts/consent_ledger.wasm');

const { values: opts } = parseArgs({
  options: {
    home: { type: 'string' },
    validators: { type: 'string', default: '1' },
    'port-base': { type: 'string', default: process.env.CHAIN_PORT_BASE ?? '26600' },
    'chain-id': { type: 'string', default: 'consentome-local' },
    'block-ms': { type: 'string', default: '300' },
    'max-gas': { type: 'string', default: '100000000' },
    reuse: { type: 'boolean', default: false },
    'web-origin': {
      type: 'string',
      default: process.env.WEB_ORIGIN ?? `http://127.0.0.1:${process.env.WEB_PORT ?? '3000'}`,
    },
  },
});

const say = (line) => process.stderr.write(`[localnet] ${line}\n`);
const validators = Number(opts.validators);
if (![1, 3].includes(validators)) throw new Error('--validators must be 1 or 3');
const home = path.resolve(opts.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-chain-')));
const chainId = opts['chain-id'];
const wasmd = process.env.WASMD_BIN
  ? path.resolve(process.env.WASMD_BIN)
  : execFileSync('bash', [path.join(root, 'scripts/chain/build-wasmd.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();

const nodeHome = (i) => path.join(home, `node${i}`);
const ports = (base, i) => ({
  rpc: base + 10 * i,
  p2p: base + 10 * i + 1,
  abci: base + 10 * i + 2,
  grpc: base + 10 * i + 3,
});

/** Runs the wasmd CLI and returns its stdout (stderr is kept for the error message). */
function cli(args, { input } = {}) {
  try {
    return execFileSync(wasmd, args, {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // The CLI prints its usage before the error: the last lines say what went wrong.
    const detail = String(err.stderr || err.message)
      .trim()
      .split('\n')
      .slice(-3)
      .join(' | ');
    throw new Error(`wasmd ${args.slice(0, 3).join(' ')} failed: ${detail}`);
  }
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function rangeFree(base) {
  for (let i = 0; i < validators; i += 1)
    for (const p of Object.values(ports(base, i))) if (!(await portFree(p))) return false;
  return true;
}

async function choosePortBase() {
  const wanted = opts['port-base'];
  if (wanted !== 'auto') {
    const base = Number(wanted);
    if (!Number.isInteger(base) || base < 1024 || base > 65000)
      throw new Error('--port-base must be a port number or auto');
    if (!(await rangeFree(base)))
      throw new Error(`ports ${base}..${base + 10 * validators} are in use; pass --port-base`);
    return base;
  }
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 27000 + 40 * Math.floor(Math.random() * 800);
    if (await rangeFree(base)) return base;
  }
  throw new Error('no free port range found');
}

/** Replaces `key = value` inside `[section]` of a TOML file (CometBFT / SDK config files). */
function setToml(file, section, key, value) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let current = '';
  let done = false;
  for (let i = 0; i < lines.length; i += 1) {
    const header = /^\[([^\]]+)\]\s*$/.exec(lines[i]);
    if (header) current = header[1];
    else if (current === section && new RegExp(`^${key}\\s*=`).test(lines[i])) {
      lines[i] = `${key} = ${value}`;
      done = true;
    }
  }
  if (!done) throw new Error(`${path.basename(file)}: no ${key} in [${section}]`);
  fs.writeFileSync(file, lines.join('\n'));
}

function configureNode(i, base, peers) {
  const p = ports(base, i);
  const config = path.join(nodeHome(i), 'config/config.toml');
  const app = path.join(nodeHome(i), 'config/app.toml');
  setToml(config, '', 'proxy_app', `"tcp://127.0.0.1:${p.abci}"`);
  setToml(config, 'rpc', 'laddr', `"tcp://127.0.0.1:${p.rpc}"`);
  setToml(config, 'rpc', 'pprof_laddr', '""');
  setToml(config, 'p2p', 'laddr', `"tcp://127.0.0.1:${p.p2p}"`);
  setToml(config, 'p2p', 'persistent_peers', `"${peers}"`);
  setToml(config, 'p2p', 'allow_duplicate_ip', 'true');
  setToml(config, 'p2p', 'addr_book_strict', 'false');
  setToml(config, 'consensus', 'timeout_commit', `"${opts['block-ms']}ms"`);
  setToml(config, 'consensus', 'timeout_propose', '"1s"');
  setToml(config, 'instrumentation', 'prometheus', 'false');
  setToml(app, '', 'minimum-gas-prices', `"${GAS_PRICE}"`);
  setToml(app, 'api', 'enable', 'false');
  setToml(app, 'grpc', 'address', `"127.0.0.1:${p.grpc}"`);
  setToml(app, 'grpc-web', 'enable', 'false');
}

/** Adds a key to the test keyring of node 0 and returns { address, mnemonic }. */
function addKey(name) {
  const out = JSON.parse(
    cli([
      'keys',
      'add',
      name,
      '--keyring-backend',
      'test',
      '--home',
      nodeHome(0),
      '--output',
      'json',
    ]),
  );
  return { address: out.address, mnemonic: out.mnemonic };
}

function keyAddress(i, name) {
  return cli([
    'keys',
    'show',
    name,
    '-a',
    '--keyring-backend',
    'test',
    '--home',
    nodeHome(i),
  ]).trim();
}

function initChain(base) {
  fs.mkdirSync(home, { recursive: true });
  for (let i = 0; i < validators; i += 1) {
    fs.rmSync(nodeHome(i), { recursive: true, force: true });
    cli([
      'init',
      `validator-${i}`,
      '--chain-id',
      chainId,
      '--default-denom',
      DENOM,
      '--home',
      nodeHome(i),
    ]);
    cli(['keys', 'add', 'validator', '--keyring-backend', 'test', '--home', nodeHome(i)]);
  }
  const relayer = addKey('relayer');
  const admin = addKey('admin');
  const genesisHome = nodeHome(0);
  const fund = (address, amount) =>
    cli(['genesis', 'add-genesis-account', address, `${amount}${DENOM}`, '--home', genesisHome]);
  for (let i = 0; i < validators; i += 1) fund(keyAddress(i, 'validator'), '1000000000000');
  fund(relayer.address, '1000000000000000');
  fund(admin.address, '1000000000000');

  // Block gas: finite, so "fits in a block" means something, and large enough for 500 items.
  const genesisFile = path.join(genesisHome, 'config/genesis.json');
  const genesis = JSON.parse(fs.readFileSync(genesisFile, 'utf8'));
  genesis.consensus.params.block.max_gas = opts['max-gas'];
  fs.writeFileSync(genesisFile, JSON.stringify(genesis, null, 1));

  const gentxDir = path.join(genesisHome, 'config/gentx');
  fs.mkdirSync(gentxDir, { recursive: true });
  for (let i = 0; i < validators; i += 1) {
    if (i > 0) fs.copyFileSync(genesisFile, path.join(nodeHome(i), 'config/genesis.json'));
    cli([
      'genesis',
      'gentx',
      'validator',
      `100000000${DENOM}`,
      '--chain-id',
      chainId,
      '--keyring-backend',
      'test',
      '--home',
      nodeHome(i),
      '--ip',
      '127.0.0.1',
      '--p2p-port',
      String(ports(base, i).p2p),
      '--output-document',
      path.join(gentxDir, `gentx-${i}.json`),
    ]);
  }
  cli(['genesis', 'collect-gentxs', '--gentx-dir', gentxDir, '--home', genesisHome]);
  cli(['genesis', 'validate', '--home', genesisHome]);
  const peers = [];
  for (let i = 0; i < validators; i += 1) {
    if (i > 0) fs.copyFileSync(genesisFile, path.join(nodeHome(i), 'config/genesis.json'));
    const id = cli(['comet', 'show-node-id', '--home', nodeHome(i)]).trim();
    peers.push(`${id}@127.0.0.1:${ports(base, i).p2p}`);
  }
  for (let i = 0; i < validators; i += 1)
    configureNode(i, base, peers.filter((_, j) => j !== i).join(','));
  fs.writeFileSync(path.join(home, 'keys.json'), JSON.stringify({ relayer, admin }, null, 2), {
    mode: 0o600,
  });
  return { relayer, admin };
}

const children = [];
let stopping = false;

function startNode(i) {
  const log = fs.openSync(path.join(home, `node${i}.log`), 'a');
  const child = spawn(wasmd, ['start', '--home', nodeHome(i)], {
    stdio: ['ignore', log, log],
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`validator ${i} exited (${signal ?? code}); see ${path.join(home, `node${i}.log`)}`);
    stop(1);
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }, 5000);
  Promise.all(
    children.map((c) =>
      c.exitCode === null && c.signalCode === null ? new Promise((r) => c.on('exit', r)) : null,
    ),
  ).then(() => {
    clearTimeout(killer);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));

async function waitForBlocks(rpc, minHeight) {
  for (let i = 0; i < 600; i += 1) {
    try {
      const res = await fetch(`${rpc}/status`);
      const body = await res.json();
      if (Number(body.result.sync_info.latest_block_height) >= minHeight) return;
    } catch {
      // not up yet
    }
    if (stopping) await new Promise(() => {});
    await sleep(200);
  }
  throw new Error(`${rpc} made no block ${minHeight} within 120 s`);
}

/** Sends a tx with the CLI from `from`, waits for it in a block, returns the tx result JSON. */
async function tx(args, from, rpc) {
  const sent = JSON.parse(
    cli([
      'tx',
      ...args,
      '--from',
      from,
      '--keyring-backend',
      'test',
      '--home',
      nodeHome(0),
      '--chain-id',
      chainId,
      '--node',
      rpc,
      '--gas',
      'auto',
      '--gas-adjustment',
      '1.3',
      '--gas-prices',
      GAS_PRICE,
      '--yes',
      '--output',
      'json',
    ]),
  );
  if (sent.code) throw new Error(`tx ${args.slice(0, 2).join(' ')} refused: ${sent.raw_log}`);
  for (let i = 0; i < 100; i += 1) {
    await sleep(200);
    try {
      const result = JSON.parse(
        cli(['query', 'tx', sent.txhash, '--node', rpc, '--output', 'json']),
      );
      if (result.code) throw new Error(`tx ${sent.txhash} failed: ${result.raw_log}`);
      return result;
    } catch (err) {
      if (!/not found/i.test(err.message)) throw err;
    }
  }
  throw new Error(`tx ${sent.txhash} was not committed within 20 s`);
}

const attr = (result, type, key) =>
  result.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;

async function deploy(rpc, keys) {
  const checksum = createHash('sha256').update(fs.readFileSync(WASM)).digest('hex');
  const stored = await tx(['wasm', 'store', WASM], 'admin', rpc);
  const codeId = attr(stored, 'store_code', 'code_id');
  const onChain = attr(stored, 'store_code', 'code_checksum');
  if (onChain !== checksum) throw new Error(`uploaded checksum ${onChain} != ${checksum}`);
  const instantiated = await tx(
    [
      'wasm',
      'instantiate',
      codeId,
      JSON.stringify({
        admin: keys.admin.address,
        writers: [keys.relayer.address],
        // The WebAuthn relying party (issue #13): the portal's origin and its host name.
        webauthn: {
          origin: new URL(opts['web-origin']).origin,
          rp_id: new URL(opts['web-origin']).hostname,
        },
      }),
      '--label',
      'consentome consent-ledger',
      '--admin',
      keys.admin.address,
    ],
    'admin',
    rpc,
  );
  const address = attr(instantiated, 'instantiate', '_contract_address');
  say(
    `contract ${address} (code ${codeId}, checksum ${checksum}, gas ${stored.gas_used} to store)`,
  );
  return { address, codeId };
}

function writeEnv(rpc, keys, contract) {
  const lines = [
    `CHAIN_RPC_URL=${rpc}`,
    `CHAIN_MNEMONIC="${keys.relayer.mnemonic}"`,
    `CHAIN_GAS_PRICE=${GAS_PRICE}`,
    `CHAIN_PREFIX=wasm`,
    `CHAIN_ID=${chainId}`,
    `CONSENT_CONTRACT_ADDRESS=${contract.address}`,
    `CONSENT_CODE_ID=${contract.codeId}`,
    `CHAIN_ADMIN_MNEMONIC="${keys.admin.mnemonic}"`,
    `WASMD_BIN=${wasmd}`,
    `WASMD_HOME=${nodeHome(0)}`,
  ];
  // Written under a temp name and renamed: whoever waits for the file sees it whole.
  const file = path.join(home, 'chain.env');
  fs.writeFileSync(`${file}.tmp`, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

async function main() {
  const envFile = path.join(home, 'chain.env');
  const reuse = opts.reuse && fs.existsSync(envFile);
  let base;
  let keys;
  let previous = '';
  if (reuse) {
    previous = fs.readFileSync(envFile, 'utf8');
    const rpcPort = Number(/^CHAIN_RPC_URL=.*:(\d+)$/m.exec(previous)[1]);
    base = rpcPort;
    if (!(await rangeFree(base))) throw new Error(`ports from ${base} are in use`);
    keys = JSON.parse(fs.readFileSync(path.join(home, 'keys.json'), 'utf8'));
    // Whoever waits for chain.env must see it appear only when this run is ready.
    fs.rmSync(envFile);
  } else {
    fs.rmSync(envFile, { force: true });
    base = await choosePortBase();
    keys = initChain(base);
  }
  const rpc = `http://127.0.0.1:${ports(base, 0).rpc}`;
  say(`${validators} validator(s) of ${chainId} in ${home}, RPC ${rpc}, wasmd ${wasmd}`);
  for (let i = 0; i < validators; i += 1) startNode(i);
  await waitForBlocks(rpc, 1);
  const contract = reuse
    ? Object.fromEntries(
        previous
          .split('\n')
          .filter((l) => /^CONSENT_(CONTRACT_ADDRESS|CODE_ID)=/.test(l))
          .map((l) => [l.startsWith('CONSENT_CODE') ? 'codeId' : 'address', l.split('=')[1]]),
      )
    : await deploy(rpc, keys);
  const file = writeEnv(rpc, keys, contract);
  say(`ready: ${file} (Ctrl-C stops the chain)`);
  if (validators > 1)
    for (let i = 1; i < validators; i += 1)
      say(`validator ${i}: RPC http://127.0.0.1:${ports(base, i).rpc}`);
}

main().catch((err) => {
  say(`failed: ${err.message}`);
  stop(1);
  if (children.length === 0) process.exit(1);
});
