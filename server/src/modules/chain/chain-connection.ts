import path from 'node:path';
import {
  RealChainSession,
  SigningConsentLedger,
  chainStatus,
  connectRealChain,
  deployConsentLedger,
  openEmbeddedLedger,
  type WebAuthnConfig,
  readChainConfig,
  senderAddress,
  type ChainBackend,
  type ChainStatus,
  type Deployment,
} from '@consentome/contracts-client';

/** An open chain with the signing ledger the relay writes through. */
export interface ChainConnection {
  kind: 'embedded' | 'real';
  backend: ChainBackend;
  ledger: SigningConsentLedger;
  contractAddress: string;
  status(): Promise<ChainStatus>;
  close(): Promise<void>;
}

/** Where the embedded chain keeps its snapshot and transaction log. */
export function embeddedChainDir(dataDir: string): string {
  return path.join(dataDir, 'chain');
}

/**
 * Opens the chain the configuration names: a real CosmWasm chain when CHAIN_RPC_URL is set (the
 * contract must have been deployed: `consentome chain deploy`), otherwise the embedded simulated
 * chain under DATA_DIR/chain, which deploys the contract on first start. A real chain is
 * connected on first use, not here: the API starts while its node is down, the outbox queues,
 * and `chainStatus` says why nothing is sent.
 */
export async function openChainConnection(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  webauthn?: WebAuthnConfig,
): Promise<ChainConnection> {
  const config = readChainConfig(env);
  if (config.mode === 'embedded') {
    const embedded = await openEmbeddedLedger({
      dir: embeddedChainDir(dataDir),
      prefix: config.prefix,
      // The embedded operator is the contract's admin, so it keeps the relying party in step
      // with WEB_ORIGIN; on a real chain the contract's admin sets it (`set_webauthn`).
      ...(webauthn ? { webauthn } : {}),
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
  if (!config.contractAddress) {
    throw new Error(
      'CONSENT_CONTRACT_ADDRESS is not set: deploy the contract with `npx consentome chain deploy` first.',
    );
  }
  const contractAddress = config.contractAddress;
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

/** Uploads and instantiates the contract on the real chain in CHAIN_* (the sender is admin and writer). */
export async function deployToRealChain(env: NodeJS.ProcessEnv = process.env): Promise<Deployment> {
  const config = readChainConfig(env);
  if (config.mode !== 'real')
    throw new Error(
      'Set CHAIN_RPC_URL, CHAIN_MNEMONIC and CHAIN_GAS_PRICE to deploy to a real chain.',
    );
  const real = await connectRealChain(config);
  try {
    return await deployConsentLedger(real.backend, { sender: real.sender, writers: [real.sender] });
  } finally {
    await real.backend.close();
  }
}
