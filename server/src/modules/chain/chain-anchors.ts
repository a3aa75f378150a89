import type { AnchorRecord, ConsentLedger } from '@consentome/contracts-client';

/**
 * The read-only queries the verifier needs from the contract. Both the embedded chain and a real
 * wasmd node answer them (they are plain contract queries), so nothing here assumes the simulator.
 */
export type AnchorReader = Pick<ConsentLedger, 'anchors' | 'head'>;

// The contract answers at most 100 records per page.
const PAGE = 100;

/**
 * Every audit anchor the contract holds, in batch order, read page by page. `atLeast` is the
 * anchor count the contract reported earlier (`head().anchors`): the pages must reach it, so a
 * short read can never pass as "all". Anchors added while paging are returned too.
 */
export async function readAllAnchors(
  chain: AnchorReader,
  atLeast: number,
): Promise<AnchorRecord[]> {
  const all: AnchorRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const { anchors } = await chain.anchors({ startAfter: after, limit: PAGE });
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
