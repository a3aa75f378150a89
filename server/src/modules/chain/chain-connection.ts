import path from 'node:path';
import {
  connectRealChain,
  deployConsentLedger,
  openConsentLedger,
  readChainConfig,
  type ConsentLedgerConnection,
  type Deployment,
  type WebAuthnConfig,
} from '@consentome/contracts-client';

/** An open chain with the signing ledger the relay writes through. */
export type ChainConnection = ConsentLedgerConnection;

/** Where the embedded chain keeps its snapshot and transaction log. */
export function embeddedChainDir(dataDir: string): string {
  return path.join(dataDir, 'chain');
}

/**
 * Opens the chain the configuration names: a real CosmWasm chain when CHAIN_RPC_URL is set (the
 * contract must have been deployed: `consentome chain deploy`), otherwise the embedded simulated
 * chain under DATA_DIR/chain, which deploys the contract on first start.
 */
export async function openChainConnection(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  webauthn?: WebAuthnConfig,
): Promise<ChainConnection> {
  return openConsentLedger(readChainConfig(env), {
    embeddedDir: embeddedChainDir(dataDir),
    ...(webauthn ? { webauthn } : {}),
  });
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
