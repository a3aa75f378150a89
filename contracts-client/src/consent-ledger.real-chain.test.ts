import { namedAccountAddress } from './bech32-address.js';
import { readChainConfig } from './config.js';
import { connectRealChain } from './real/connect-real-chain.js';
import { defineContractSuite } from './test-support/contract-suite.js';
import type { SuiteChain } from './test-support/contract-suite.js';
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
