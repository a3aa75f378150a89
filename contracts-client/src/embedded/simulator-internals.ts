/**
 * Narrow views of the parts of @oraichain/cw-simulate 2.8 that the embedded chain drives. The
 * package's own types pull in CosmJS 0.32 classes that clash with our CosmJS 0.39, and several of
 * these members are internal (`Transactional._data`, `WasmModule.contracts`), so we describe only
 * what we use and cast once, in embedded-chain.ts.
 */
import type { SortedKVIterStorageInstance, StorageDict } from './sorted-storage.js';

/** ts-results' Ok/Err as the simulator returns them. */
export interface SimResult<T> {
  ok: boolean;
  err: boolean;
  val: T | string;
}

export interface SimRegion {
  readonly ptr: number;
  write(bytes: Uint8Array): void;
}

export interface SimVm {
  /** The live WebAssembly instance (identity changes when the VM is rebuilt). */
  instance?: object;
  backend: { storage: SortedKVIterStorageInstance };
  allocate(size: number): SimRegion;
  allocate_str(str: string): SimRegion;
}

export interface SimContract {
  readonly vm: SimVm | undefined;
  init(): Promise<SimContract>;
  /** `store`: a snapshot of the whole app state to read from (time travel). */
  query(msg: unknown, store?: unknown): SimResult<unknown>;
}

export interface SimAppResponse {
  events: { type: string; attributes: { key: string; value: string }[] }[];
  data: string | null;
}

export interface SimCodeInfo {
  creator: string;
  wasmCode: Uint8Array;
}

export interface SimContractInfo {
  codeId: number;
  creator: string;
  admin: string | null;
  label: string;
  created: number;
}

export type SimSetter = (...path: (string | number)[]) => (value: unknown) => void;

export interface SimLens {
  tx<T>(cb: (setter: SimSetter) => SimResult<T>): SimResult<T>;
  get(...path: (string | number)[]): unknown;
}

export interface SimWasmModule {
  contracts: Record<string, SimContract>;
  store: SimLens;
  readonly lastCodeId: number;
  readonly lastInstanceId: number;
  create(creator: string, wasmCode: Uint8Array): number;
  instantiateContract(
    sender: string,
    funds: [],
    codeId: number,
    msg: unknown,
    label: string,
    admin: string | null,
    salt: null,
    traces: unknown[],
    sameBlock: boolean,
  ): Promise<SimResult<SimAppResponse>>;
  executeContract(
    sender: string,
    funds: [],
    contractAddress: string,
    msg: unknown,
    traces: unknown[],
    sameBlock: boolean,
  ): Promise<SimResult<SimAppResponse>>;
  getContract(address: string): SimContract;
  query(address: string, msg: unknown): SimResult<unknown>;
  getExecutionEnv(address: string): unknown;
  setCodeInfo(codeId: number, info: SimCodeInfo): void;
  getCodeInfo(codeId: number): SimCodeInfo | undefined;
  setContractInfo(address: string, info: SimContractInfo): void;
  getContractInfo(address: string): SimContractInfo | undefined;
  setContractStorage(address: string, dict: StorageDict): void;
  getContractStorage(address: string): StorageDict | undefined;
}

export interface SimApp {
  readonly chainId: string;
  readonly bech32Prefix: string;
  wasm: SimWasmModule;
  /** The root store; `db._data` is the whole state, an immutable map (cheap to keep and restore). */
  store: SimLens & { db: { _data: unknown; readonly data: unknown } };
  height: number;
  time: number;
  pushBlock(callback: () => unknown, sameBlock: boolean): unknown;
}

/** `WasmModule.checksumCache`: a static, process-wide codeId → checksum map the VM builds from. */
export interface SimWasmModuleClass {
  checksumCache: Record<number, string>;
}
