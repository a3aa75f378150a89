import { createHash } from 'node:crypto';
import type { ChainEvent, ExecuteOutcome } from './chain.js';
import { canonicalJson } from './canonical-json.js';
import type { ExecuteMsg, ExecuteSummary } from './messages.js';

/**
 * What the server records for each committed ledger transaction. `txHash` alone is not enough:
 * the simulator's hashes depend only on the result and height (two simulated chains produce the
 * same ones), so a receipt also carries our own digest of what was sent and where it landed, and
 * the contract's head hash after it.
 */
export interface Receipt {
  chainId: string;
  txHash: string;
  height: number;
  /** Block time, RFC 3339 UTC with nanoseconds. */
  time: string;
  /** `receiptDigest({ message, sender, height, time })`. */
  digest: string;
  /** The contract's head hash after this tx; unchanged by pure replays. */
  headHash: string;
  /** Per-item results when the chain reports the contract's response data (the embedded chain and
   * the CosmJS adapter both do). */
  summary?: ExecuteSummary;
  events: readonly ChainEvent[];
}

export interface ReceiptDigestInput {
  message: ExecuteMsg;
  sender: string;
  height: number;
  time: string;
}

/**
 * SHA-256 (lowercase hex) of the canonical JSON (sorted keys, RFC 8785 for these values) of
 * `{ height, message, sender, time }`. Anyone holding the message can recompute it.
 */
export function receiptDigest(input: ReceiptDigestInput): string {
  const canonical = canonicalJson({
    height: input.height,
    message: input.message,
    sender: input.sender,
    time: input.time,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The head hash the contract reported in a tx: the `head` attribute of its `wasm-*` event (or of
 * the plain `wasm` event, which carries the response attributes). Undefined for messages that do
 * not touch the head (writer changes).
 */
export function headHashFromEvents(events: readonly ChainEvent[]): string | undefined {
  const find = (pred: (type: string) => boolean): string | undefined =>
    events
      .filter((e) => pred(e.type))
      .flatMap((e) => e.attributes)
      .find((a) => a.key === 'head')?.value;
  return find((t) => t.startsWith('wasm-')) ?? find((t) => t === 'wasm');
}

/** Decodes `Response.data` of record_* / anchor_audit; undefined when absent or not a summary. */
export function decodeExecuteSummary(data: string | undefined): ExecuteSummary | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(
      Buffer.from(data, 'base64').toString('utf8'),
    ) as Partial<ExecuteSummary>;
    return typeof parsed.head === 'string' && Array.isArray(parsed.items)
      ? (parsed as ExecuteSummary)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the receipt of a committed execute. `headBefore` is used when the tx did not report a
 * head (writer changes do not move it).
 */
export function buildReceipt(args: {
  chainId: string;
  sender: string;
  message: ExecuteMsg;
  outcome: ExecuteOutcome;
  headBefore?: string;
}): Receipt {
  const { outcome } = args;
  const summary = decodeExecuteSummary(outcome.data);
  const headHash = headHashFromEvents(outcome.events) ?? summary?.head ?? args.headBefore ?? '';
  const receipt: Receipt = {
    chainId: args.chainId,
    txHash: outcome.transactionHash,
    height: outcome.height,
    time: outcome.time,
    digest: receiptDigest({
      message: args.message,
      sender: args.sender,
      height: outcome.height,
      time: outcome.time,
    }),
    headHash,
    events: outcome.events,
  };
  if (summary) receipt.summary = summary;
  return receipt;
}
