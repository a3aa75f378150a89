import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const ChainStatus = graphql(`
  query ChainStatus { chainStatus { kind chainId height contractAddress headHash consentsOnChain
  anchorsOnChain grantsOnChain chainError relayError pending failed confirmed lagSeconds unanchoredEvents
  lastAnchoredBatch { batch firstSeq lastSeq merkleRoot txHash height anchoredAt }
  recentReceipts { txHash height blockTime headHash items recordedAt } } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { chainStatus } = await loadOrFail(fetch, token, ChainStatus, {});
  return { status: chainStatus, checkedAt: new Date().toISOString() };
};
