import { ChainError, contractErrorKind } from '../errors.js';
import type { ChainErrorCode } from '../errors.js';

/**
 * Turns whatever CosmJS or the node threw into a classified ChainError. CosmJS reports most
 * failures only as message text, so this reads the text the way CosmJS and wasmd write it.
 */

const DELIVER_TX =
  /Error when broadcasting tx ([0-9A-Fa-f]+) at height (\d+)\. Code: (\d+); Raw log: ([\s\S]*)$/;
const BROADCAST_TX =
  /Broadcasting transaction failed with code (\d+) \(codespace: ([^)]*)\)\. Log: ([\s\S]*)$/;
const NETWORK =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket hang up|fetch failed|network error|Bad status on response: 5\d\d|status code 5\d\d|WebSocket/i;

/** Classifies a failure text (a raw log, a query error, a thrown message) plus an ABCI code. */
export function classifyChainFailure(text: string, abciCode?: number): ChainErrorCode {
  if (abciCode === 11 || /out of gas/i.test(text)) return 'out_of_gas';
  if (abciCode === 32 || /account sequence mismatch|incorrect account sequence/i.test(text))
    return 'sequence_mismatch';
  // CosmJS refuses to sign for an account the chain has never seen (never funded).
  if (/insufficient funds|insufficient fee|does not exist on chain/i.test(text))
    return 'insufficient_funds';
  if (
    contractErrorKind(text) ||
    /wasm contract failed|no such contract|not found: contract/i.test(text)
  )
    return 'contract';
  if (/was submitted but was not yet found on the chain|timed out waiting for tx/i.test(text))
    return 'timeout';
  if (NETWORK.test(text)) return 'unavailable';
  return 'unknown';
}

/** Any thrown value from a CosmJS call → ChainError (a ChainError passes through). */
export function fromCosmjsError(err: unknown): ChainError {
  if (err instanceof ChainError) return err;
  const e = err as {
    message?: unknown;
    name?: unknown;
    txId?: unknown;
    code?: unknown;
    log?: unknown;
  };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const deliver = DELIVER_TX.exec(message);
  if (deliver) {
    const [, txHash, height, code, rawLog = ''] = deliver;
    const abciCode = Number(code);
    return new ChainError(classifyChainFailure(rawLog, abciCode), message, {
      txHash,
      height: Number(height),
      abciCode,
      rawLog,
      cause: err,
    });
  }
  const broadcast = BROADCAST_TX.exec(message);
  if (broadcast) {
    const [, code, , rawLog = ''] = broadcast;
    const abciCode = Number(code);
    return new ChainError(classifyChainFailure(rawLog, abciCode), message, {
      abciCode,
      rawLog,
      cause: err,
    });
  }
  if (e?.name === 'TimeoutError') {
    return new ChainError('timeout', message, {
      txHash: typeof e.txId === 'string' ? e.txId : undefined,
      cause: err,
    });
  }
  return new ChainError(classifyChainFailure(message), message, { rawLog: message, cause: err });
}
