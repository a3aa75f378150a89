import { BinaryKVIterStorage, SortedMap } from '@oraichain/cw-simulate';

/**
 * Contract storage for the simulated VM with a correct byte order.
 *
 * Defect 1: cosmwasm-vm-js's `compare()` treats a key that is a prefix of another as equal
 * (`compare("k", "kk") === 0`), so the simulator's SortedMap overwrites `k` when `kk` is written
 * and range scans stop early. Every map and scan here uses `compareBytes` instead (plain
 * lexicographic byte order, shorter prefix first — what wasmd's IAVL store does).
 */

/** Lexicographic byte order; a proper prefix sorts first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export type StorageDict = ReturnType<typeof SortedMap<Uint8Array, Uint8Array>>;

/** An empty contract storage map ordered by `compareBytes`. */
export function emptyStorageDict(): StorageDict {
  return SortedMap<Uint8Array, Uint8Array>([], compareBytes);
}

function isOurDict(dict: unknown): dict is StorageDict {
  const d = dict as { getComparator?: () => unknown } | null | undefined;
  return typeof d?.getComparator === 'function' && d.getComparator() === compareBytes;
}

/** One storage change of a transaction: a value, or null for a removal. */
export type KvWrite = readonly [key: Uint8Array, value: Uint8Array | null];

/** Test seam: lets a test make the store throw mid-transaction (a VM trap), as running out of gas
 * half-way through the writes would on a real chain. */
export interface StorageFaults {
  beforeRead?(key: Uint8Array): void;
  beforeWrite?(key: Uint8Array): void;
}

interface IterRecord {
  key: Uint8Array;
  value: Uint8Array;
}

const ASCENDING = 1;
const DESCENDING = 2;

function iteratorIdBytes(id: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, id);
  return b;
}

export type SortedStorageClass = new (dict?: unknown) => SortedKVIterStorageInstance;

export interface SortedKVIterStorageInstance extends BinaryKVIterStorage {
  /** Every set/remove in order since construction (the VM gets a fresh storage per call). */
  readonly journal: KvWrite[];
}

/**
 * The storage class handed to CWSimulateApp (`kvIterStorageRegistry`). A subclass of the
 * simulator's own so that the VM uses it unchanged; it re-keys whatever map it is given into one
 * ordered by `compareBytes`, records a journal of writes (what the tx log persists) and scans
 * `[start, end)` with the correct order.
 */
export function sortedStorageClass(faults?: StorageFaults): SortedStorageClass {
  class SortedKVIterStorage extends BinaryKVIterStorage implements SortedKVIterStorageInstance {
    readonly journal: KvWrite[] = [];

    constructor(dict?: unknown, iterators?: Map<number, { data: IterRecord[]; position: number }>) {
      super(toOurDict(dict), iterators);
    }

    override get(key: Uint8Array): Uint8Array | null {
      faults?.beforeRead?.(key);
      return super.get(key);
    }

    override set(key: Uint8Array, value: Uint8Array): void {
      faults?.beforeWrite?.(key);
      const k = Uint8Array.from(key);
      const v = Uint8Array.from(value);
      this.dict = this.dict.set(k, v);
      this.journal.push([k, v]);
    }

    override remove(key: Uint8Array): void {
      faults?.beforeWrite?.(key);
      const k = Uint8Array.from(key);
      this.dict = this.dict.delete(k);
      this.journal.push([k, null]);
    }

    override scan(start: Uint8Array | null, end: Uint8Array | null, order: number): Uint8Array {
      if (order !== ASCENDING && order !== DESCENDING)
        throw new Error(`Invalid order value ${order}.`);
      const lo = start && start.length > 0 ? Uint8Array.from(start) : null;
      const hi = end && end.length > 0 ? Uint8Array.from(end) : null;
      const data: IterRecord[] = [];
      if (!(lo && hi && compareBytes(lo, hi) >= 0)) {
        const from = lo ? this.dict.from(lo) : this.dict;
        const range = hi ? from.takeUntil((_v, k) => compareBytes(k, hi) >= 0) : from;
        range.forEach((value, key) => {
          data.push({ key, value });
        });
      }
      if (order === DESCENDING) data.reverse();
      const id = this.iterators.size + 1;
      this.iterators.set(id, { data, position: 0 });
      return iteratorIdBytes(id);
    }
  }
  return SortedKVIterStorage as unknown as SortedStorageClass;
}

function toOurDict(dict: unknown): StorageDict {
  if (isOurDict(dict)) return dict;
  // The simulator creates a new contract's storage as a plain Map when the registry is not its own
  // class; it is empty then. Anything else is re-keyed (byte keys only).
  let out = emptyStorageDict();
  const entries = dict as
    { forEach?: (fn: (v: Uint8Array, k: Uint8Array) => void) => void } | undefined;
  entries?.forEach?.((v, k) => {
    if (k instanceof Uint8Array) out = out.set(k, v);
  });
  return out;
}
