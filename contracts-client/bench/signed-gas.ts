/**
 * Gas of participant-signed consent items against unsigned (institution-attested) ones on a real
 * chain (the wasmd localnet): the marginal gas per item, from batches of 1 and of N items, for
 * unsigned items, items each signed by its own assertion, and items covered by one assertion.
 * Not a test: figures go to BENCHMARKS.md.
 *
 * With a second argument, also the throughput: `total` items recorded in transactions of 500,
 * one transaction at a time as the relay sends them, unsigned and then signed (each item its own
 * assertion, made before the clock starts), in the same run; signed twice: simulated first (gas
 * "auto", as before) and with the gas estimate the ledger client offers (no simulation).
 *
 *   set -a; . /tmp/<home>/chain.env; set +a; npx tsx bench/signed-gas.ts [n=50] [total=0]
 */
import { readChainConfig } from '../src/config.js';
import { recordConsentsGas } from '../src/gas-estimate.js';
import { signedStatement } from '../src/consent-record.js';
import type { ConsentItem, ExecuteMsg } from '../src/messages.js';
import { connectRealChain } from '../src/real/connect-real-chain.js';
import { consentItems, hex64 } from '../src/test-support/fixtures.js';
import { SoftPasskey, TEST_RP } from '../src/test-support/soft-passkey.js';
import { loadConsentLedgerWasm } from '../src/wasm-artifact.js';

const n = Number(process.argv[2] ?? 50);
const config = readChainConfig();
if (config.mode !== 'real') throw new Error('set CHAIN_RPC_URL etc. (source chain.env)');
const { backend, sender } = await connectRealChain(config);
const codeId =
  Number(process.env.CONSENT_CODE_ID) ||
  (await backend.upload(sender, (await loadConsentLedgerWasm()).bytes)).codeId;
const { contractAddress } = await backend.instantiate(
  sender,
  codeId,
  { admin: sender, writers: [sender], webauthn: { ...TEST_RP } },
  'signed-gas-bench',
  sender,
);
let wanted = 0;
const run = async (msg: ExecuteMsg, gas?: number): Promise<number> => {
  const out = await backend.execute(sender, contractAddress, msg, gas ? { gas } : undefined);
  wanted += Number(out.gasWanted ?? 0);
  return Number(out.gasUsed);
};

const subject = hex64(`bench-subject-${Date.now()}`);
// Unsigned items go to a subject without passkeys: the contract refuses a key holder's.
const keyless = hex64(`bench-keyless-${Date.now()}`);
const key = new SoftPasskey();
const registerGas = await run({
  register_passkey: {
    subject,
    key_id: key.keyId,
    public_key: key.publicKeyHex,
    proof: { institution: { witness: 'bench' } },
  },
});

let seq = 0;
/** `count` fresh records of the bench subject, one scope each. */
function records(count: number, who = subject): ConsentItem[] {
  return Array.from({ length: count }, () => {
    seq += 1;
    return consentItems('gas', seq, 1, { subject: who, scope: `bench:${seq}`, version: 1 })[0]!;
  });
}
const unsigned = (count: number) => records(count, keyless);
const eachSigned = (count: number) =>
  records(count).map((r) => ({
    ...r,
    proof: {
      passkey: { assertion: key.assert(signedStatement([r]).challenge, { highS: false }) },
    },
  }));
const covered = (count: number) => {
  const rs = records(count);
  const { challenge, covers } = signedStatement(rs);
  const assertion = key.assert(challenge, { highS: false });
  return rs.map((r) => ({
    ...r,
    proof: { passkey: covers ? { assertion, covers } : { assertion } },
  }));
};

console.log(
  `wasmd at ${config.rpcUrl}, contract ${contractAddress}; register_passkey: ${registerGas} gas`,
);
for (const [label, make] of [
  ['unsigned (institution-attested)', unsigned],
  ['signed, one assertion per item', eachSigned],
  ['signed, one assertion covering the batch', covered],
] as const) {
  const one = await run({ record_consents: { items: make(1) } });
  const many = await run({ record_consents: { items: make(n) } });
  const perItem = Math.round((many - one) / (n - 1));
  console.log(
    `${label}: 1 item ${one} gas, ${n} items ${many} gas → ≈ ${perItem} gas per additional item`,
  );
}
const total = Number(process.argv[3] ?? 0);
const BATCH = 500;
for (const [label, make, estimate] of [
  ['unsigned (institution-attested), simulated first', unsigned, false],
  ['signed, one assertion per item, simulated first', eachSigned, false],
  ['signed, one assertion per item, gas estimate', eachSigned, true],
] as const) {
  if (total <= 0) break;
  const batches = Array.from({ length: Math.ceil(total / BATCH) }, (_, i) =>
    make(Math.min(BATCH, total - i * BATCH)),
  );
  wanted = 0;
  const started = performance.now();
  let gas = 0;
  for (const items of batches)
    gas += await run(
      { record_consents: { items } },
      estimate ? recordConsentsGas(items) : undefined,
    );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `throughput, ${label}: ${total} items in ${batches.length} txs in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} items/s (${Math.round(gas / total)} gas used per item with tx overhead, ${Math.round(wanted / total)} wanted)`,
  );
}
await backend.close();
