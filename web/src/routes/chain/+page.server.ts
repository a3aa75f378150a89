import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export interface ChainStatus {
  kind: string | null;
  chainId: string | null;
  height: number | null;
  contractAddress: string | null;
  headHash: string | null;
  consentsOnChain: number | null;
  anchorsOnChain: number | null;
  grantsOnChain: number | null;
  chainError: string | null;
  pending: number;
  failed: number;
  confirmed: number;
  lagSeconds: number;
  unanchoredEvents: number;
  lastAnchoredBatch: {
    batch: number;
    firstSeq: number;
    lastSeq: number;
    merkleRoot: string;
    txHash: string;
    height: number;
    anchoredAt: string;
  } | null;
  recentReceipts: {
    txHash: string;
    height: number;
    blockTime: string;
    headHash: string;
    items: number;
    recordedAt: string;
  }[];
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ['admin', 'ethics_board'], 'the chain status');
  try {
    const { chainStatus } = await apiText<{ chainStatus: ChainStatus }>(
      fetch,
      `{ chainStatus {
        kind chainId height contractAddress headHash consentsOnChain anchorsOnChain grantsOnChain
        chainError pending failed confirmed lagSeconds unanchoredEvents
        lastAnchoredBatch { batch firstSeq lastSeq merkleRoot txHash height anchoredAt }
        recentReceipts { txHash height blockTime headHash items recordedAt }
      } }`,
      {},
      token,
    );
    return { status: chainStatus, checkedAt: new Date().toISOString(), loadError: null };
  } catch (e) {
    return { status: null, checkedAt: new Date().toISOString(), loadError: messageOf(e) };
  }
};
