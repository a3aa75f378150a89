import { createHash } from 'node:crypto';
import { calculateFee, GasPrice, type StdFee } from '@cosmjs/stargate';
import { normalizeRfc3339 } from '../block-time.js';
import type {
  ChainBackend,
  ChainEvent,
  ExecuteOptions,
  ExecuteOutcome,
  InstantiateOutcome,
  JsonObject,
  UploadOutcome,
} from '../chain.js';
import { ChainError } from '../errors.js';
import { classifyChainFailure, fromCosmjsError } from './cosmjs-errors.js';
import { DEFAULT_TX_RETRY_POLICY, withTxRetries } from './tx-retry.js';
import type { Sleep, TxRetryPolicy } from './tx-retry.js';

/** The subset of CosmJS's SigningCosmWasmClient this adapter calls (a fake implements it in tests). */
export interface SigningClientLike {
  getChainId(): Promise<string>;
  getHeight(): Promise<number>;
  getBlock(height?: number): Promise<{ header: { time: string } }>;
  queryContractSmart(address: string, msg: JsonObject): Promise<unknown>;
  signAndBroadcast(
    signer: string,
    messages: readonly { typeUrl: string; value: unknown }[],
    fee: number | 'auto' | StdFee,
    memo?: string,
  ): Promise<DeliverTxLike>;
  upload(
    sender: string,
    wasm: Uint8Array,
    fee: number | 'auto',
  ): Promise<TxResultLike & { codeId: number; checksum: string }>;
  instantiate(
    sender: string,
    codeId: number,
    msg: JsonObject,
    label: string,
    fee: number | 'auto',
    options?: { admin?: string },
  ): Promise<TxResultLike & { contractAddress: string }>;
  getContract?(address: string): Promise<{ codeId: number }>;
  getCodeDetails?(codeId: number): Promise<{ checksum: string }>;
  disconnect(): void;
}

export interface TxResultLike {
  transactionHash: string;
  height: number;
  events: readonly ChainEvent[];
  gasUsed?: bigint | number;
  gasWanted?: bigint | number;
}

export interface DeliverTxLike extends TxResultLike {
  code: number;
  rawLog?: string;
  msgResponses?: readonly { typeUrl: string; value: Uint8Array }[];
}

export interface CosmjsChainOptions {
  retry?: Partial<TxRetryPolicy>;
  sleep?: Sleep;
  /**
   * The gas price (e.g. `0.025ustake`) for a fee the caller's gas estimate sets. Without it every
   * transaction is simulated first.
   */
  gasPrice?: string;
  /** False: ignore callers' gas estimates and simulate every transaction (default true). */
  gasEstimates?: boolean;
}

const MSG_EXECUTE_CONTRACT = '/cosmwasm.wasm.v1.MsgExecuteContract';

/**
 * ChainBackend over a real node through CosmJS: gas "auto" (simulate × multiplier), retries on
 * account-sequence mismatch and out-of-gas (tx-retry.ts), every failure as a classified ChainError.
 * Transactions from this adapter are sent one at a time, so it never races its own sequence.
 */
export class CosmjsChain implements ChainBackend {
  readonly kind = 'real' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private chainId: string | undefined;
  private readonly policy: TxRetryPolicy;

  constructor(
    private readonly client: SigningClientLike,
    private readonly options: CosmjsChainOptions = {},
  ) {
    this.policy = { ...DEFAULT_TX_RETRY_POLICY, ...options.retry };
  }

  async getChainId(): Promise<string> {
    this.chainId ??= await this.call(() => this.client.getChainId());
    return this.chainId;
  }

  getHeight(): Promise<number> {
    return this.call(() => this.client.getHeight());
  }

  upload(sender: string, wasm: Uint8Array): Promise<UploadOutcome> {
    return this.tx(async () => {
      const r = await withTxRetries(
        (m) => this.client.upload(sender, wasm, m),
        this.policy,
        this.options.sleep,
      );
      const checksum = r.checksum || createHash('sha256').update(wasm).digest('hex');
      return { ...(await this.base(r)), codeId: r.codeId, checksum };
    });
  }

  instantiate(
    sender: string,
    codeId: number,
    msg: JsonObject,
    label: string,
    admin?: string,
  ): Promise<InstantiateOutcome> {
    return this.tx(async () => {
      const r = await withTxRetries(
        (m) => this.client.instantiate(sender, codeId, msg, label, m, admin ? { admin } : {}),
        this.policy,
        this.options.sleep,
      );
      return { ...(await this.base(r)), contractAddress: r.contractAddress };
    });
  }

  execute(
    sender: string,
    contract: string,
    msg: JsonObject,
    options: ExecuteOptions = {},
  ): Promise<ExecuteOutcome> {
    return this.tx(async () => {
      const message = {
        typeUrl: MSG_EXECUTE_CONTRACT,
        value: { sender, contract, msg: new TextEncoder().encode(JSON.stringify(msg)), funds: [] },
      };
      // With an estimate, the first attempt skips the simulation, which would run the contract
      // (every signature check included) once more before the block runs it. Out of gas raises
      // the multiplier, and from then on the attempts simulate.
      const estimated = this.estimatedFee(options.gas);
      const r = await withTxRetries(
        async (m) => {
          const fee = estimated && m === this.policy.gasMultiplier ? estimated : m;
          const res = await this.client.signAndBroadcast(sender, [message], fee);
          if (res.code !== 0) throw deliverTxError(res);
          return res;
        },
        this.policy,
        this.options.sleep,
      );
      const outcome: ExecuteOutcome = await this.base(r);
      const data = executeResponseData(r.msgResponses?.[0]?.value);
      if (data) outcome.data = data;
      return outcome;
    });
  }

  private estimatedFee(gas: number | undefined): StdFee | undefined {
    if (gas === undefined || !this.options.gasPrice || this.options.gasEstimates === false)
      return undefined;
    if (!Number.isSafeInteger(gas) || gas <= 0)
      throw new ChainError('invalid_request', `a gas estimate must be a positive integer: ${gas}`);
    return calculateFee(gas, GasPrice.fromString(this.options.gasPrice));
  }

  /** Code id and lowercase hex checksum of the code a contract runs (wasmd's contract info). */
  contractCode(contract: string): Promise<{ codeId: number; checksum: string }> {
    return this.call(async () => {
      if (!this.client.getContract || !this.client.getCodeDetails)
        throw new ChainError('invalid_request', 'this client cannot read contract infos');
      const { codeId } = await this.client.getContract(contract);
      const { checksum } = await this.client.getCodeDetails(codeId);
      return { codeId, checksum: checksum.toLowerCase() };
    });
  }

  query<T = unknown>(contract: string, msg: JsonObject): Promise<T> {
    return this.call(() => this.client.queryContractSmart(contract, msg) as Promise<T>);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private async base(r: TxResultLike) {
    return {
      transactionHash: r.transactionHash,
      height: r.height,
      time: await this.blockTime(r.transactionHash, r.height),
      events: r.events,
      gasUsed: r.gasUsed === undefined ? undefined : Number(r.gasUsed),
      gasWanted: r.gasWanted === undefined ? undefined : Number(r.gasWanted),
    };
  }

  /**
   * The committed block's time (receipts carry it). If the node cannot tell us, the commit is
   * reported as `unavailable` with its hash: resending is safe, the contract treats it as a replay.
   */
  private async blockTime(txHash: string, height: number): Promise<string> {
    let last: unknown;
    for (let i = 0; i < 3; i++) {
      try {
        return normalizeRfc3339((await this.client.getBlock(height)).header.time);
      } catch (err) {
        last = err;
        await (this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(
          200 * (i + 1),
        );
      }
    }
    throw new ChainError(
      'unavailable',
      `tx ${txHash} committed at height ${height}, but its block time is unknown`,
      {
        txHash,
        height,
        cause: last,
      },
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromCosmjsError(err);
    }
  }

  private tx<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function deliverTxError(res: DeliverTxLike): ChainError {
  const rawLog = res.rawLog ?? '';
  return new ChainError(
    classifyChainFailure(rawLog, res.code),
    `tx ${res.transactionHash} failed at height ${res.height} with code ${res.code}: ${rawLog}`,
    { txHash: res.transactionHash, height: res.height, abciCode: res.code, rawLog },
  );
}

/** `MsgExecuteContractResponse { bytes data = 1; }` → the data as base64 (what the embedded chain
 * reports). Decoded by hand: one length-delimited field. */
export function executeResponseData(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  let pos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++]!;
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) return undefined;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if ((tag & 7) !== 2) return undefined;
    if (tag >> 3 === 1) return Buffer.from(bytes.subarray(pos, pos + len)).toString('base64');
    pos += len;
  }
  return undefined;
}
