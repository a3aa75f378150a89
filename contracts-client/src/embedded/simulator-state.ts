import { Ok } from '@oraichain/cw-simulate';
import { ChainError } from '../errors.js';
import type {
  ChainMeta,
  ChainSnapshot,
  CodeEntry,
  ContractEntry,
  EncodedWrite,
  SnapshotSource,
  TxRecord,
} from './chain-state-files.js';
import type { SimApp, SimResult } from './simulator-internals.js';
import { emptyStorageDict } from './sorted-storage.js';
import type { KvWrite, StorageDict } from './sorted-storage.js';

/**
 * Moves state between the simulator and the journal's records, without running the VM: a
 * snapshot loaded into the app, a logged transaction re-applied, the app's state as a snapshot.
 * `checksums` (code id → sha256) is the chain's own table: the simulator keeps none we can use.
 */
export interface SimulatorState {
  app: SimApp;
  checksums: Map<number, string>;
}

/** Loads a snapshot into an empty app; answers the block time it was taken at (ns). */
export function loadSnapshotInto(state: SimulatorState, snapshot: ChainSnapshot): bigint {
  const wasm = state.app.wasm;
  for (const code of snapshot.codes) addCode(state, code);
  for (const contract of snapshot.contracts) {
    const { address, ...info } = contract;
    wasm.setContractInfo(address, info);
    let dict = emptyStorageDict();
    dict = dict.withMutations((m) => {
      for (const [k, v] of snapshot.storage.get(address) ?? []) m.set(fromB64(k), fromB64(v));
    });
    wasm.setContractStorage(address, dict);
  }
  setCounters(state.app, snapshot.meta.lastCodeId, snapshot.meta.lastInstanceId);
  state.app.height = snapshot.meta.height;
  return BigInt(snapshot.meta.timeNs);
}

/** Re-applies a logged transaction's effects (the log holds its writes); answers its time (ns). */
export function applyTxRecord(state: SimulatorState, record: TxRecord): bigint {
  const { app } = state;
  const expected = app.height + 1;
  if (record.height !== expected) {
    throw new ChainError(
      'vm_error',
      `tx log out of order: expected height ${expected}, found ${record.height}`,
    );
  }
  const wasm = app.wasm;
  if (record.kind === 'upload') {
    addCode(state, record.code);
    setCounters(app, record.code.id, wasm.lastInstanceId);
  } else if (record.kind === 'instantiate') {
    const { address, ...info } = record.contract;
    wasm.setContractInfo(address, info);
    wasm.setContractStorage(address, applyWrites(emptyStorageDict(), record.writes));
    setCounters(app, wasm.lastCodeId, record.lastInstanceId);
  } else {
    const current = wasm.getContractStorage(record.contract);
    if (!current)
      throw new ChainError('vm_error', `tx log writes to unknown contract ${record.contract}`);
    wasm.setContractStorage(record.contract, applyWrites(current, record.writes));
  }
  app.height = record.height;
  return BigInt(record.timeNs);
}

/** Every instantiated contract. */
export function contractEntries(app: SimApp): ContractEntry[] {
  const contracts = app.wasm.store.get('contracts') as
    { keySeq(): { toArray(): string[] } } | undefined;
  const addresses = contracts?.keySeq().toArray() ?? [];
  return addresses.flatMap((address) => {
    const info = app.wasm.getContractInfo(address);
    return info ? [{ address, ...info, admin: info.admin ?? null }] : [];
  });
}

/** The committed state at `height` and `timeNs`, streamed for a new snapshot. */
export function snapshotSource(
  state: SimulatorState,
  height: number,
  timeNs: bigint,
): SnapshotSource {
  const { app } = state;
  const wasm = app.wasm;
  const meta: ChainMeta = {
    chainId: app.chainId,
    prefix: app.bech32Prefix,
    height,
    timeNs: timeNs.toString(),
    lastCodeId: wasm.lastCodeId,
    lastInstanceId: wasm.lastInstanceId,
  };
  const codes: CodeEntry[] = [...state.checksums].map(([id, checksum]) => {
    const info = wasm.getCodeInfo(id);
    if (!info) throw new ChainError('vm_error', `code ${id} missing from state`);
    return {
      id,
      creator: info.creator,
      checksum,
      wasm: Buffer.from(info.wasmCode).toString('base64'),
    };
  });
  const contracts = contractEntries(app);
  function* storage(): Generator<[string, Iterable<[string, string]>]> {
    for (const c of contracts) {
      const dict = wasm.getContractStorage(c.address) ?? emptyStorageDict();
      yield [c.address, mapEntries(dict)];
    }
  }
  return { meta, codes, contracts, storage: storage() };
}

/** A VM's storage journal as the log stores it (base64 keys and values, null for a removal). */
export function encodeWrites(journal: readonly KvWrite[]): EncodedWrite[] {
  return journal.map(([k, v]) => [toB64(k), v === null ? null : toB64(v)]);
}

function addCode(state: SimulatorState, code: CodeEntry): void {
  state.app.wasm.setCodeInfo(code.id, {
    creator: code.creator,
    wasmCode: new Uint8Array(Buffer.from(code.wasm, 'base64')),
  });
  state.checksums.set(code.id, code.checksum);
}

function setCounters(app: SimApp, lastCodeId: number, lastInstanceId: number): void {
  app.wasm.store.tx((setter) => {
    setter('lastCodeId')(lastCodeId);
    setter('lastInstanceId')(lastInstanceId);
    return Ok(undefined) as SimResult<undefined>;
  });
}

function* mapEntries(dict: StorageDict): Generator<[string, string]> {
  for (const [k, v] of dict.entries()) yield [toB64(k), toB64(v)];
}

function toB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromB64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function applyWrites(dict: StorageDict, writes: readonly EncodedWrite[]): StorageDict {
  return dict.withMutations((m) => {
    for (const [k, v] of writes) {
      if (v === null) m.delete(fromB64(k));
      else m.set(fromB64(k), fromB64(v));
    }
  });
}
