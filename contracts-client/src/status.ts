import type { ChainBackend, ChainKind } from './chain.js';
import { ConsentLedger } from './consent-ledger.js';
import type { ConfigResponse, HeadResponse } from './messages.js';

export interface ChainStatus {
  kind: ChainKind;
  chainId: string;
  height: number;
  contract?: { address: string } & ConfigResponse & HeadResponse;
}

/** Chain id, height and, given an address, the contract's admin, writers, head and counts
 * (`consentome chain status`). */
export async function chainStatus(
  backend: ChainBackend,
  contractAddress?: string,
): Promise<ChainStatus> {
  const [chainId, height] = await Promise.all([backend.getChainId(), backend.getHeight()]);
  const status: ChainStatus = { kind: backend.kind, chainId, height };
  if (contractAddress) {
    const ledger = new ConsentLedger(backend, contractAddress);
    const [config, head] = await Promise.all([ledger.config(), ledger.head()]);
    status.contract = { address: contractAddress, ...config, ...head };
  }
  return status;
}
