import type { AnchorRecord, ConsentLedger } from '@consentome/contracts-client';

/**
 * The read-only queries the verifier needs from the contract. Both the embedded chain and a real
 * wasmd node answer them (they are plain contract queries), so nothing here assumes the simulator.
 */
export type AnchorReader = Pick<ConsentLedger, 'anchors'> & {
  /** This institution's writer address: its own stream of anchors is the one verified. */
  sender: string;
};

// The contract answers at most 100 records per page.
const PAGE = 100;

/**
 * Every audit anchor this institution (`chain.sender`) holds on the contract, in batch order,
 * read page by page (each member institution has its own stream). `atLeast` is the count the
 * contract reported earlier (`anchors(sender).total`): the pages must reach it, so a short read
 * can never pass as "all". Anchors added while paging are returned too.
 */
export async function readAllAnchors(
  chain: AnchorReader,
  atLeast: number,
): Promise<AnchorRecord[]> {
  const all: AnchorRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const { anchors } = await chain.anchors(chain.sender, { startAfter: after, limit: PAGE });
    all.push(...anchors);
    if (anchors.length < PAGE) break;
    after = anchors[anchors.length - 1]!.batch;
  }
  if (all.length < atLeast || all.some((a, i) => a.batch !== i + 1))
    throw new Error(
      `the contract reports ${atLeast} anchors but listed ${all.length}, not numbered 1..n`,
    );
  return all;
}
