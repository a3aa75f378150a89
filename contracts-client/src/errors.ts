/**
 * One error type for everything a chain can refuse or fail with (as CosmJS-based codebases do),
 * classified so that a relay knows whether retrying can help.
 */

/**
 * - `contract`: the contract refused the message (bad input, not a writer, conflict). Retrying the
 *   same message fails again: the caller must fix or drop it.
 * - `out_of_gas`: the tx ran out of gas; retry with a higher gas multiplier.
 * - `sequence_mismatch`: the account sequence moved under us; refetch and retry.
 * - `unavailable`: the node / RPC / disk could not be reached or written; retry later.
 * - `timeout`: submitted but not seen in a block in time; it may still commit. Retrying is safe
 *   because every contract message is idempotent.
 * - `insufficient_funds`: the sender cannot pay fees; needs an operator.
 * - `vm_error`: the (embedded) VM trapped or failed outside the contract's own error path.
 * - `invalid_request`: rejected by this client before sending (e.g. an oversized batch).
 * - `wrong_chain`: the node is on another chain than the configured CHAIN_ID.
 * - `wrong_contract`: the configured contract address is missing or runs other code.
 * - `chain_reset`: the chain no longer holds what we recorded on it (a node restarted from an
 *   empty home, another network behind the same address).
 * - `unknown`: anything else.
 *
 * `insufficient_funds`, `wrong_chain`, `wrong_contract` and `chain_reset` need an operator
 * (`needsOperator`): nothing sent may be marked as recorded until one has acted.
 */
export type ChainErrorCode =
  | 'contract'
  | 'out_of_gas'
  | 'sequence_mismatch'
  | 'unavailable'
  | 'timeout'
  | 'insufficient_funds'
  | 'vm_error'
  | 'invalid_request'
  | 'wrong_chain'
  | 'wrong_contract'
  | 'chain_reset'
  | 'unknown';

/** Error kinds the consent-ledger contract prefixes its messages with (`"<kind>: <message>"`). */
export const CONTRACT_ERROR_KINDS = [
  'parse error',
  'unauthorized',
  'invalid',
  'conflict',
  'rejected',
  'corrupt state',
] as const;

export type ContractErrorKind = (typeof CONTRACT_ERROR_KINDS)[number];

const RETRYABLE: ReadonlySet<ChainErrorCode> = new Set([
  'out_of_gas',
  'sequence_mismatch',
  'unavailable',
  'timeout',
]);

const NEEDS_OPERATOR: ReadonlySet<ChainErrorCode> = new Set([
  'insufficient_funds',
  'wrong_chain',
  'wrong_contract',
  'chain_reset',
]);

export interface ChainErrorDetails {
  txHash?: string;
  height?: number;
  /** The chain's raw log or the VM's message, verbatim. */
  rawLog?: string;
  /** ABCI code of a failed tx (e.g. 11 out of gas, 32 wrong sequence), when known. */
  abciCode?: number;
  contractKind?: ContractErrorKind;
  cause?: unknown;
}

export class ChainError extends Error {
  override readonly name = 'ChainError';
  readonly code: ChainErrorCode;
  readonly txHash: string | undefined;
  readonly height: number | undefined;
  readonly rawLog: string | undefined;
  readonly abciCode: number | undefined;
  /** For `code === 'contract'`: which kind of refusal, when the message says. */
  readonly contractKind: ContractErrorKind | undefined;

  constructor(code: ChainErrorCode, message: string, details: ChainErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.txHash = details.txHash;
    this.height = details.height;
    this.rawLog = details.rawLog;
    this.abciCode = details.abciCode;
    this.contractKind =
      details.contractKind ?? (code === 'contract' ? contractErrorKind(message) : undefined);
  }

  /** True when sending the same message again later can succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** True when the configuration or the chain itself must be fixed before anything can be sent. */
  get needsOperator(): boolean {
    return NEEDS_OPERATOR.has(this.code);
  }
}

/** True for a `ChainError`, optionally of one of the given codes. */
export function isChainError(err: unknown, ...codes: ChainErrorCode[]): err is ChainError {
  return err instanceof ChainError && (codes.length === 0 || codes.includes(err.code));
}

/**
 * Finds the contract's error kind in a message, wherever the chain put it (a real chain wraps it:
 * `failed to execute message; message index: 0: invalid: items[0]: ...: execute wasm contract failed`).
 */
export function contractErrorKind(message: string): ContractErrorKind | undefined {
  let best: { kind: ContractErrorKind; at: number } | undefined;
  for (const kind of CONTRACT_ERROR_KINDS) {
    const at = message.search(new RegExp(`(^|: |= )${kind}: `));
    if (at >= 0 && (best === undefined || at < best.at)) best = { kind, at };
  }
  return best?.kind;
}
