/**
 * The narrow chain interface the ledger client is written against. Both the real chain (CosmJS)
 * and the embedded simulated chain implement it; nothing else of either is relied upon, which
 * also keeps the simulator's CosmJS 0.32 classes away from our CosmJS 0.39 types.
 *
 * Every method throws `ChainError` (errors.ts) on failure.
 */

/** Any JSON object (what CosmWasm messages are). */
export type JsonObject = Record<string, unknown>;

export interface ChainAttribute {
  key: string;
  value: string;
}

/** An ABCI event as a chain reports it (`wasm`, `wasm-<type>`, `instantiate`, ...). */
export interface ChainEvent {
  type: string;
  attributes: readonly ChainAttribute[];
}

/** A committed transaction. */
export interface TxOutcome {
  transactionHash: string;
  height: number;
  /** Block time, RFC 3339 with nanoseconds (`2024-05-01T12:00:00.123456789Z`). */
  time: string;
  events: readonly ChainEvent[];
  gasUsed?: number;
  gasWanted?: number;
}

export interface ExecuteOutcome extends TxOutcome {
  /** The contract's `Response.data` (base64), when the chain reports it. */
  data?: string;
}

export interface UploadOutcome extends TxOutcome {
  codeId: number;
  /** Lowercase hex SHA-256 of the uploaded wasm. */
  checksum: string;
}

export interface InstantiateOutcome extends TxOutcome {
  contractAddress: string;
}

/** Which adapter a backend is: shown by status and test output. */
export type ChainKind = 'embedded' | 'real';

export interface ChainBackend {
  readonly kind: ChainKind;
  getChainId(): Promise<string>;
  getHeight(): Promise<number>;
  upload(sender: string, wasm: Uint8Array): Promise<UploadOutcome>;
  instantiate(
    sender: string,
    codeId: number,
    msg: JsonObject,
    label: string,
    admin?: string,
  ): Promise<InstantiateOutcome>;
  /**
   * One message per transaction: a tx either commits entirely or not at all. `options.gas`: the
   * gas to offer, when the caller can tell it (a real chain then skips the simulation; the
   * embedded chain meters nothing and ignores it).
   */
  execute(
    sender: string,
    contract: string,
    msg: JsonObject,
    options?: ExecuteOptions,
  ): Promise<ExecuteOutcome>;
  /** Smart query; resolves to the contract's decoded JSON answer. */
  query<T = unknown>(contract: string, msg: JsonObject): Promise<T>;
  /** Releases connections / files. The backend is unusable afterwards. */
  close(): Promise<void>;
}

/** How to send one execute message. */
export interface ExecuteOptions {
  /** Gas to offer instead of simulating first; out of gas falls back to a simulation. */
  gas?: number;
}
