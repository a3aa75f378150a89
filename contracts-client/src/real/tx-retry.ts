import { fromCosmjsError } from './cosmjs-errors.js';

export interface TxRetryPolicy {
  /** Gas = simulated gas × this on the first attempt (CosmJS "auto" uses 1.4). */
  gasMultiplier: number;
  /** After an out-of-gas failure the multiplier is multiplied by this ... */
  outOfGasStep: number;
  /** ... up to this. */
  maxGasMultiplier: number;
  /** Retries after an account sequence mismatch. */
  sequenceRetries: number;
  /** Backoff before the n-th sequence retry: n × this. */
  sequenceBackoffMs: number;
}

export const DEFAULT_TX_RETRY_POLICY: TxRetryPolicy = {
  gasMultiplier: 1.4,
  outOfGasStep: 1.5,
  maxGasMultiplier: 4,
  sequenceRetries: 5,
  sequenceBackoffMs: 300,
};

export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one transaction attempt after another until it commits or fails for a reason retrying here
 * cannot fix:
 * - account sequence mismatch: wait, then sign again; CosmJS refetches the account's sequence for
 *   every signature, so the next attempt uses the chain's current one;
 * - out of gas: simulate again with a higher multiplier.
 * Anything else is thrown at once as a ChainError (the relay decides on `retryable`).
 */
export async function withTxRetries<T>(
  attempt: (gasMultiplier: number) => Promise<T>,
  policy: TxRetryPolicy = DEFAULT_TX_RETRY_POLICY,
  sleep: Sleep = realSleep,
): Promise<T> {
  let multiplier = policy.gasMultiplier;
  let sequenceRetries = 0;
  for (;;) {
    try {
      return await attempt(multiplier);
    } catch (thrown) {
      const err = fromCosmjsError(thrown);
      if (err.code === 'sequence_mismatch' && sequenceRetries < policy.sequenceRetries) {
        sequenceRetries++;
        await sleep(policy.sequenceBackoffMs * sequenceRetries);
        continue;
      }
      const next = Math.round(multiplier * policy.outOfGasStep * 100) / 100;
      if (err.code === 'out_of_gas' && next <= policy.maxGasMultiplier) {
        multiplier = next;
        continue;
      }
      throw err;
    }
  }
}
