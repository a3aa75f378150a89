import type { ChainBackend } from './chain.js';
import type { ChainConfig } from './config.js';
import { SigningConsentLedger } from './consent-ledger.js';
import { openEmbeddedLedger } from './embedded/open-embedded-ledger.js';
import type { WebAuthnConfig } from './messages.js';
import { RealChainSession, senderAddress } from './real/real-chain-session.js';
import { chainStatus, type ChainStatus } from './status.js';

/** An open consent ledger on either adapter, with the signing client its writer uses. */
export interface ConsentLedgerConnection {
  kind: 'embedded' | 'real';
  backend: ChainBackend;
  ledger: SigningConsentLedger;
  contractAddress: string;
  status(): Promise<ChainStatus>;
  close(): Promise<void>;
}

/** Where each adapter needs more than the chain settings say. */
export interface OpenConsentLedgerOptions {
  /** The embedded chain's directory (snapshot, tx log, lock). */
  embeddedDir: string;
  /**
   * The passkey relying party. The embedded operator is the contract's admin, so it keeps the
   * contract in step with it; on a real chain the contract's admin sets it (`set_webauthn`).
   */
  webauthn?: WebAuthnConfig;
}

/**
 * Opens the consent ledger the configuration names, behind one interface for both adapters:
 * the embedded chain (deployed on first start) or a real CosmWasm chain, where the contract must
 * already be deployed. A real chain is connected on first use, not here, so a caller starts while
 * its node is down and reports why nothing is sent (see `RealChainSession`).
 */
export async function openConsentLedger(
  config: ChainConfig,
  options: OpenConsentLedgerOptions,
): Promise<ConsentLedgerConnection> {
  if (config.mode === 'embedded') {
    const embedded = await openEmbeddedLedger({
      dir: options.embeddedDir,
      prefix: config.prefix,
      ...(options.webauthn ? { webauthn: options.webauthn } : {}),
    });
    return {
      kind: 'embedded',
      backend: embedded.chain,
      ledger: embedded.ledger,
      contractAddress: embedded.contractAddress,
      status: () => chainStatus(embedded.chain, embedded.contractAddress),
      close: () => embedded.chain.close(),
    };
  }
  const contractAddress = config.contractAddress;
  if (!contractAddress) {
    throw new Error(
      'CONSENT_CONTRACT_ADDRESS is not set: deploy the contract with `npx consentome chain deploy` first.',
    );
  }
  const backend = new RealChainSession(config);
  const sender = await senderAddress(config.mnemonic, config.prefix);
  return {
    kind: 'real',
    backend,
    ledger: new SigningConsentLedger(backend, contractAddress, sender),
    contractAddress,
    status: () => chainStatus(backend, contractAddress),
    close: () => backend.close(),
  };
}
