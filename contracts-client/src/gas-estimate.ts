import type { ConsentItem } from './messages.js';

/**
 * Gas to offer for one `record_consents` transaction, so that a real chain need not simulate it
 * first (the simulation runs the contract, every signature check included, once more before the
 * block does). Figures measured on wasmd v0.61.14 with `bench/signed-gas.ts` (BENCHMARKS.md):
 * ≈ 127,500 per transaction, ≈ 45,100 per unsigned item, ≈ 58,600 per signed item, and ≈ 730
 * more per digest an item's `covers` lists. Gas is deterministic for a given message, so the
 * margin only has to cover what the figures leave out (longer ids and key ids, a cold store).
 * An estimate that still falls short costs one failed transaction, then the chain simulates.
 */
const PER_TX = 130_000;
const PER_UNSIGNED_ITEM = 46_000;
const PER_SIGNED_ITEM = 60_000;
const PER_COVERED_DIGEST = 800;
const MARGIN = 1.3;

/** The gas to offer for recording `items` in one transaction. */
export function recordConsentsGas(items: readonly ConsentItem[]): number {
  let gas = PER_TX;
  for (const item of items) {
    const passkey = item.proof && 'passkey' in item.proof ? item.proof.passkey : undefined;
    gas += passkey ? PER_SIGNED_ITEM : PER_UNSIGNED_ITEM;
    gas += (passkey?.covers?.length ?? 0) * PER_COVERED_DIGEST;
  }
  return Math.ceil(gas * MARGIN);
}
