import { namedAccountAddress } from './bech32-address.js';
import { readChainConfig } from './config.js';
import { connectRealChain } from './real/connect-real-chain.js';
import type { CosmjsChain } from './real/cosmjs-chain.js';
import { defineContractSuite } from './test-support/contract-suite.js';
import type { SuiteChain } from './test-support/contract-suite.js';
import { fundedSigners } from './test-support/funded-signers.js';
import { defineMembershipSuite } from './test-support/membership-suite.js';
import { defineSigningSuite } from './test-support/signing-suite.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

// Collected only when CHAIN_RPC_URL is set (see vitest.config.ts). Needs CHAIN_MNEMONIC of a
// funded account, CHAIN_PREFIX and CHAIN_GAS_PRICE; uploads the wasm and instantiates fresh
// contracts (one per test), so it never touches CONSENT_CONTRACT_ADDRESS.
async function openReal(): Promise<SuiteChain> {
  const config = readChainConfig();
  if (config.mode !== 'real') throw new Error('the real-chain suite needs CHAIN_RPC_URL');
  const { backend, sender } = await connectRealChain(config);
  console.log(
    `[real-chain suite] ${config.rpcUrl} chain ${await backend.getChainId()} at height ${await backend.getHeight()}, sender ${sender}`,
  );
  return {
    backend,
    sender,
    otherAddress: (name) => namedAccountAddress(config.prefix, `suite-${name}`),
    wasm: (await loadConsentLedgerWasm()).bytes,
    teardown: () => backend.close(),
  };
}

defineContractSuite('real chain', openReal);
defineSigningSuite('real chain', openReal);

// Three institutions with keys of their own, funded by the relayer key, which deploys and is the
// admin. In this file, not its own: the suites share the relayer key, so they must not run in
// parallel (two writers of one account race its sequence number).
defineMembershipSuite('real chain', async () => {
  const config = readChainConfig();
  if (config.mode !== 'real') throw new Error('the real-chain suite needs CHAIN_RPC_URL');
  const { backend, sender } = await connectRealChain(config);
  const opened: CosmjsChain[] = [backend];
  return {
    admin: { backend, address: sender },
    signers: async (n) => {
      const signers = await fundedSigners(config, n);
      opened.push(...signers.map((s) => s.backend as CosmjsChain));
      return signers;
    },
    wasm: (await loadConsentLedgerWasm()).bytes,
    teardown: async () => {
      await Promise.all(opened.map((b) => b.close()));
    },
  };
});
