import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namedAccountAddress } from './bech32-address.js';
import { EmbeddedChain } from './embedded/embedded-chain.js';
import { defineContractSuite } from './test-support/contract-suite.js';
import type { SuiteChain } from './test-support/contract-suite.js';
import { defineSigningSuite } from './test-support/signing-suite.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

// The contract suites on the embedded chain, persisting to disk as the server runs it.
async function openEmbedded(): Promise<SuiteChain> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-suite-'));
  const backend = await EmbeddedChain.open({ dir });
  return {
    backend,
    sender: namedAccountAddress('wasm', 'suite-sender'),
    otherAddress: (name) => namedAccountAddress('wasm', `suite-${name}`),
    wasm: (await loadConsentLedgerWasm()).bytes,
    teardown: async () => {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

defineContractSuite('embedded chain', openEmbedded);
defineSigningSuite('embedded chain', openEmbedded);
