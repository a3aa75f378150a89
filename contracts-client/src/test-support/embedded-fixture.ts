import { namedAccountAddress } from '../bech32-address.js';
import { SigningConsentLedger } from '../consent-ledger.js';
import { deployConsentLedger } from '../deploy.js';
import { EmbeddedChain } from '../embedded/embedded-chain.js';
import type { EmbeddedChainOptions } from '../embedded/embedded-chain.js';
import { loadConsentLedgerWasm } from '../wasm-artifact.js';

export const ADMIN = namedAccountAddress('wasm', 'test-admin');
export const WRITER = namedAccountAddress('wasm', 'test-writer');
export const OUTSIDER = namedAccountAddress('wasm', 'test-outsider');

export interface EmbeddedFixture {
  chain: EmbeddedChain;
  contract: string;
  /** Signs as WRITER. */
  ledger: SigningConsentLedger;
}

/** An embedded chain (in memory unless `dir` is given) with the contract deployed:
 * admin ADMIN, writers [WRITER]. */
export async function embeddedFixture(
  options: EmbeddedChainOptions = {},
): Promise<EmbeddedFixture> {
  const chain = await EmbeddedChain.open(options);
  const { bytes } = await loadConsentLedgerWasm();
  const { contractAddress } = await deployConsentLedger(chain, {
    sender: ADMIN,
    writers: [WRITER],
    wasm: bytes,
    label: 'test',
  });
  return {
    chain,
    contract: contractAddress,
    ledger: new SigningConsentLedger(chain, contractAddress, WRITER),
  };
}
