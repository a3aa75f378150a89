import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namedAccountAddress } from './bech32-address.js';
import { EmbeddedChain } from './embedded/embedded-chain.js';
import { defineContractSuite } from './test-support/contract-suite.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

// The contract suite on the embedded chain, persisting to disk as the server runs it.
defineContractSuite('embedded chain', async () => {
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
});
