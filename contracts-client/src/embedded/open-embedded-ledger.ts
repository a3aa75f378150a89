import { namedAccountAddress } from '../bech32-address.js';
import { SigningConsentLedger } from '../consent-ledger.js';
import { DEFAULT_CONTRACT_LABEL, deployConsentLedger } from '../deploy.js';
import { EmbeddedChain } from './embedded-chain.js';
import type { EmbeddedChainOptions } from './embedded-chain.js';
import type { WebAuthnConfig } from '../messages.js';

export interface EmbeddedLedger {
  chain: EmbeddedChain;
  contractAddress: string;
  /** Admin and writer of the embedded deployment (the embedded chain needs no keys). */
  sender: string;
  ledger: SigningConsentLedger;
  /** True when this call deployed the contract (first start). */
  deployed: boolean;
}

/**
 * Opens the embedded chain in `dir` and returns a signing ledger on its consent-ledger contract,
 * deploying it on first start (found again after restarts by its label). The sender is a fixed
 * address that is both admin and writer.
 */
export async function openEmbeddedLedger(
  options: EmbeddedChainOptions & { label?: string; webauthn?: WebAuthnConfig },
): Promise<EmbeddedLedger> {
  const chain = await EmbeddedChain.open(options);
  try {
    const prefix = options.prefix ?? 'wasm';
    const sender = namedAccountAddress(prefix, 'consentome-embedded-operator');
    const label = options.label ?? DEFAULT_CONTRACT_LABEL;
    const existing = (await chain.listContracts()).find((c) => c.label === label);
    const contractAddress =
      existing?.address ??
      (await deployConsentLedger(chain, { sender, writers: [sender], label })).contractAddress;
    const ledger = new SigningConsentLedger(chain, contractAddress, sender);
    // The relying party follows the configuration (the embedded operator is the admin).
    const wanted = options.webauthn;
    const current = (await ledger.config()).webauthn;
    if (wanted && (current?.origin !== wanted.origin || current.rp_id !== wanted.rp_id)) {
      await ledger.setWebauthn(wanted);
    }
    return { chain, contractAddress, sender, ledger, deployed: !existing };
  } catch (err) {
    await chain.close();
    throw err;
  }
}
