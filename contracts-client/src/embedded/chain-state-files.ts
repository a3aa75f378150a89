import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeLogLine, fsyncDir, LogCorruptError, readLineLog } from './line-log.js';

/**
 * On-disk form of the embedded chain (defect 6: the simulator's own `toBytes()`/`from()` loses all
 * contract storage, so we never use it).
 *
 * - `snapshot.ndjson`: the full state at some height, as checksummed lines (header, codes,
 *   contracts, storage entries in chunks, end marker with counts). Replaced atomically
 *   (temp file + fsync + rename + directory fsync).
 * - `txlog.ndjson`: one checksummed line per transaction committed after the snapshot, holding
 *   exactly what it changed (new code, new contract, storage writes). Appended and fdatasync'ed
 *   before the commit is reported; replayed on open without running the VM.
 */

export const SNAPSHOT_FILE = 'snapshot.ndjson';
export const TX_LOG_FILE = 'txlog.ndjson';
const FORMAT = 'consentome-embedded-chain';
const VERSION = 1;
const ENTRIES_PER_LINE = 2000;

export interface ChainMeta {
  chainId: string;
  prefix: string;
  height: number;
  /** Block time of `height`, nanoseconds since the epoch. */
  timeNs: string;
  lastCodeId: number;
  lastInstanceId: number;
}

export interface CodeEntry {
  id: number;
  creator: string;
  checksum: string;
  /** base64 */
  wasm: string;
}

export interface ContractEntry {
  address: string;
  codeId: number;
  creator: string;
  admin: string | null;
  label: string;
  created: number;
}

/** base64 key, base64 value or null for a removal. */
export type EncodedWrite = [key: string, value: string | null];

interface TxBase {
  height: number;
  timeNs: string;
  txHash: string;
}

export type TxRecord =
  | (TxBase & { kind: 'upload'; code: CodeEntry })
  | (TxBase & {
      kind: 'instantiate';
      contract: ContractEntry;
      lastInstanceId: number;
      writes: EncodedWrite[];
    })
  | (TxBase & { kind: 'execute'; contract: string; writes: EncodedWrite[] });

export interface ChainSnapshot {
  meta: ChainMeta;
  codes: CodeEntry[];
  contracts: ContractEntry[];
  /** Per contract address, its storage entries (base64 key, base64 value) in key order. */
  storage: Map<string, [string, string][]>;
}

type SnapshotLine =
  | ({ t: 'header'; format: string; version: number } & ChainMeta)
  | ({ t: 'code' } & CodeEntry)
  | ({ t: 'contract' } & ContractEntry)
  | { t: 'kv'; address: string; entries: [string, string][] }
  | { t: 'end'; codes: number; contracts: number; entries: number };

/** Reads the snapshot; undefined when there is none yet. */
export function readSnapshot(dir: string): ChainSnapshot | undefined {
  const path = join(dir, SNAPSHOT_FILE);
  const { records, tornBytes } = readLineLog<SnapshotLine>(path);
  if (records.length === 0 && tornBytes === 0) return undefined;
  const [header] = records;
  const end = records[records.length - 1];
  if (tornBytes > 0 || header?.t !== 'header' || end?.t !== 'end') {
    throw new LogCorruptError(`${path}: incomplete snapshot`);
  }
  if (header.format !== FORMAT || header.version !== VERSION) {
    throw new LogCorruptError(`${path}: unsupported format ${header.format} v${header.version}`);
  }
  const snapshot: ChainSnapshot = {
    meta: {
      chainId: header.chainId,
      prefix: header.prefix,
      height: header.height,
      timeNs: header.timeNs,
      lastCodeId: header.lastCodeId,
      lastInstanceId: header.lastInstanceId,
    },
    codes: [],
    contracts: [],
    storage: new Map(),
  };
  let entries = 0;
  for (const line of records.slice(1, -1)) {
    if (line.t === 'code') {
      const { t: _t, ...code } = line;
      snapshot.codes.push(code);
    } else if (line.t === 'contract') {
      const { t: _t, ...contract } = line;
      snapshot.contracts.push(contract);
    } else if (line.t === 'kv') {
      const list = snapshot.storage.get(line.address) ?? [];
      for (const e of line.entries) list.push(e);
      snapshot.storage.set(line.address, list);
      entries += line.entries.length;
    }
  }
  if (
    end.codes !== snapshot.codes.length ||
    end.contracts !== snapshot.contracts.length ||
    end.entries !== entries
  ) {
    throw new LogCorruptError(`${path}: snapshot counts do not match its end marker`);
  }
  return snapshot;
}

export interface SnapshotSource {
  meta: ChainMeta;
  codes: Iterable<CodeEntry>;
  contracts: Iterable<ContractEntry>;
  /** Per contract address, its entries (base64) in key order. */
  storage: Iterable<[address: string, entries: Iterable<[string, string]>]>;
}

/** Writes a new snapshot atomically; returns its size in bytes. */
export function writeSnapshot(dir: string, source: SnapshotSource): number {
  const path = join(dir, SNAPSHOT_FILE);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let size = 0;
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  const flush = (): void => {
    const buf = Buffer.concat(buffered);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
    size += buf.length;
    buffered = [];
    bufferedBytes = 0;
  };
  const put = (line: SnapshotLine): void => {
    const b = encodeLogLine(line);
    buffered.push(b);
    bufferedBytes += b.length;
    if (bufferedBytes > 4 << 20) flush();
  };
  try {
    put({ t: 'header', format: FORMAT, version: VERSION, ...source.meta });
    let codes = 0;
    let contracts = 0;
    let entries = 0;
    for (const code of source.codes) {
      put({ t: 'code', ...code });
      codes++;
    }
    for (const contract of source.contracts) {
      put({ t: 'contract', ...contract });
      contracts++;
    }
    for (const [address, list] of source.storage) {
      let chunk: [string, string][] = [];
      for (const e of list) {
        chunk.push(e);
        if (chunk.length === ENTRIES_PER_LINE) {
          put({ t: 'kv', address, entries: chunk });
          entries += chunk.length;
          chunk = [];
        }
      }
      if (chunk.length) {
        put({ t: 'kv', address, entries: chunk });
        entries += chunk.length;
      }
    }
    put({ t: 'end', codes, contracts, entries });
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
  return size;
}
