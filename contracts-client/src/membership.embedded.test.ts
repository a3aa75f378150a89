import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namedAccountAddress } from './bech32-address.js';
import { EmbeddedChain } from './embedded/embedded-chain.js';
import { defineMembershipSuite } from './test-support/membership-suite.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

// The embedded chain takes any well-formed sender, so each institution is just an address.
defineMembershipSuite('embedded chain', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'membership-suite-'));
  const backend = await EmbeddedChain.open({ dir });
  return {
    admin: { backend, address: namedAccountAddress('wasm', 'membership-admin') },
    signers: async (n) =>
      Array.from({ length: n }, (_, i) => ({
        backend,
        address: namedAccountAddress('wasm', `membership-site-${i}`),
      })),
    wasm: (await loadConsentLedgerWasm()).bytes,
    teardown: async () => {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
