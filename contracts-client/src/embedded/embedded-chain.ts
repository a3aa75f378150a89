import { createHash } from 'node:crypto';
import { CWSimulateApp } from '@oraichain/cw-simulate';
import { nanosToRfc3339 } from '../block-time.js';
import { canonicalJson } from '../canonical-json.js';
import type {
  ChainBackend,
  ChainEvent,
  ExecuteOutcome,
  InstantiateOutcome,
  JsonObject,
  UploadOutcome,
} from '../chain.js';
import { ChainError, contractErrorKind } from '../errors.js';
import type { ChainSnapshot, CodeEntry, ContractEntry, TxRecord } from './chain-state-files.js';
import { ChainJournal } from './chain-journal.js';
import type {
  SimApp,
  SimAppResponse,
  SimContract,
  SimResult,
  SimVm,
  SimWasmModuleClass,
} from './simulator-internals.js';
import {
  applyTxRecord,
  contractEntries,
  encodeWrites,
  loadSnapshotInto,
  snapshotSource,
  type SimulatorState,
} from './simulator-state.js';
import { sortedStorageClass } from './sorted-storage.js';
import type { KvWrite, StorageFaults } from './sorted-storage.js';
import { installSecp256r1Import } from './vm-secp256r1.js';
import { useUtf8ByteLengths } from './vm-utf8.js';

export const DEFAULT_EMBEDDED_CHAIN_ID = 'consentome-embedded-1';
export const DEFAULT_EMBEDDED_PREFIX = 'wasm';

export interface EmbeddedChainOptions {
  /** Directory for the snapshot and tx log (the server passes `DATA_DIR/chain`). Omit to keep the
   * chain in memory only (tests). */
  dir?: string;
  chainId?: string;
  prefix?: string;
  /** Fold the log into a new snapshot once it exceeds max(this, last snapshot size). Default 64 MiB. */
  compactLogBytes?: number;
  /** Clock in nanoseconds since the epoch (tests). */
  now?: () => bigint;
  /** Test seam: make the contract store throw, as a VM trap would. */
  faults?: StorageFaults;
}

export type EmbeddedContractInfo = ContractEntry;

interface Block {
  height: number;
  timeNs: bigint;
}

/**
 * A single-node chain in this process: @oraichain/cw-simulate running the contract wasm, with
 * each defect of the simulator (shared/notes/chain.md) fixed or avoided here:
 *
 * 1. prefix keys compare equal → contract storage uses our own byte order (sorted-storage.ts);
 * 2. non-ASCII messages overflow the VM buffer → regions sized in UTF-8 bytes (vm-utf8.ts);
 * 3. writes of a failed tx leak into the next one → the whole app state is restored after any
 *    failure and the VM is rebuilt from committed state before every execute;
 * 4. one wasm instance reused after a trap → a fresh instance per transaction, and after any
 *    failed query;
 * 5. `executeMultiple` is not atomic → never used: one message per transaction;
 * 6. `toBytes()`/`from()` loses storage → our own snapshot + tx log (chain-state-files.ts),
 *    kept by ChainJournal (chain-journal.ts); simulator-state.ts moves state between the two.
 *
 * A commit is reported only after its changes are in the tx log and fdatasync'ed, so nothing
 * reported is lost on kill -9. All operations run one at a time.
 */
export class EmbeddedChain implements ChainBackend {
  readonly kind = 'embedded' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private committed: unknown;
  private closed = false;
  private readonly checksums = new Map<number, string>();
  private height: number;
  private journal: ChainJournal | undefined;

  private constructor(
    private readonly app: SimApp,
    private readonly options: Required<Pick<EmbeddedChainOptions, 'compactLogBytes' | 'now'>> &
      EmbeddedChainOptions,
    private timeNs: bigint,
  ) {
    this.committed = app.store.db._data;
    this.height = app.height;
  }

  private get state(): SimulatorState {
    return { app: this.app, checksums: this.checksums };
  }

  /** Opens (or creates) a chain; with `dir`, recovers everything committed there before. */
  static async open(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
    const chainId = options.chainId ?? DEFAULT_EMBEDDED_CHAIN_ID;
    const prefix = options.prefix ?? DEFAULT_EMBEDDED_PREFIX;
    const opts = {
      compactLogBytes: 64 << 20,
      now: () => BigInt(Date.now()) * 1_000_000n,
      ...options,
    };
    const app = new CWSimulateApp({
      chainId,
      bech32Prefix: prefix,
      kvIterStorageRegistry: sortedStorageClass(options.faults) as never,
      // The VM logs every db call; printing is off (we surface errors, not traces).
      debug: () => undefined,
    }) as unknown as SimApp;
    const chain = new EmbeddedChain(app, opts, opts.now());
    chain.installHooks();
    if (!options.dir) return chain;
    const fresh = (): ChainSnapshot => ({
      meta: {
        chainId,
        prefix,
        height: app.height,
        timeNs: opts.now().toString(),
        lastCodeId: 0,
        lastInstanceId: 0,
      },
      codes: [],
      contracts: [],
      storage: new Map(),
    });
    const opened = await ChainJournal.open(
      options.dir,
      fresh,
      { chainId, prefix },
      opts.compactLogBytes,
    );
    try {
      chain.timeNs = loadSnapshotInto(chain.state, opened.snapshot);
      for (const record of opened.records) chain.timeNs = applyTxRecord(chain.state, record);
    } catch (err) {
      await opened.journal.close();
      throw err;
    }
    chain.committed = app.store.db._data;
    chain.height = app.height;
    chain.journal = opened.journal;
    await chain.journal.maybeCompact(() => chain.currentState());
    return chain;
  }

  async getChainId(): Promise<string> {
    return this.app.chainId;
  }

  async getHeight(): Promise<number> {
    return this.committedHeight();
  }

  /** Block time of the last committed block, RFC 3339 with nanoseconds. */
  async getTime(): Promise<string> {
    return nanosToRfc3339(this.timeNs);
  }

  /** Every instantiated contract (to find a deployment again after a restart). */
  async listContracts(): Promise<EmbeddedContractInfo[]> {
    return this.serialize(async () => contractEntries(this.app));
  }

  upload(sender: string, wasm: Uint8Array): Promise<UploadOutcome> {
    return this.transaction(async (block) => {
      const checksum = createHash('sha256').update(wasm).digest('hex');
      const codeId = this.app.wasm.create(sender, Uint8Array.from(wasm));
      this.checksums.set(codeId, checksum);
      const txHash = this.txHash(block, sender, { store_code: { checksum } });
      const events: ChainEvent[] = [
        {
          type: 'store_code',
          attributes: [
            { key: 'code_checksum', value: checksum },
            { key: 'code_id', value: String(codeId) },
          ],
        },
      ];
      const code: CodeEntry = {
        id: codeId,
        creator: sender,
        checksum,
        wasm: Buffer.from(wasm).toString('base64'),
      };
      const record: TxRecord = {
        kind: 'upload',
        height: block.height,
        timeNs: block.timeNs.toString(),
        txHash,
        code,
      };
      return { record, outcome: { ...this.txBase(block, txHash, events), codeId, checksum } };
    });
  }

  instantiate(
    sender: string,
    codeId: number,
    msg: JsonObject,
    label: string,
    admin?: string,
  ): Promise<InstantiateOutcome> {
    return this.transaction(async (block) => {
      if (!this.checksums.has(codeId))
        throw new ChainError('invalid_request', `no code with id ${codeId}`);
      this.primeChecksum(codeId);
      const result = await this.app.wasm.instantiateContract(
        sender,
        [],
        codeId,
        msg,
        label,
        admin ?? null,
        null,
        [],
        true,
      );
      const response = this.unwrap(result, block);
      const contractAddress = response.events[0]?.attributes.find(
        (a) => a.key === '_contract_address',
      )?.value;
      if (!contractAddress)
        throw new ChainError('vm_error', 'instantiate reported no contract address');
      const info = this.app.wasm.getContractInfo(contractAddress);
      if (!info) throw new ChainError('vm_error', 'instantiated contract has no info');
      const txHash = this.txHash(block, sender, { instantiate: { code_id: codeId, label, msg } });
      const record: TxRecord = {
        kind: 'instantiate',
        height: block.height,
        timeNs: block.timeNs.toString(),
        txHash,
        contract: { address: contractAddress, ...info, admin: info.admin ?? null },
        lastInstanceId: this.app.wasm.lastInstanceId,
        writes: encodeWrites(this.journalOf(contractAddress)),
      };
      return {
        record,
        outcome: { ...this.txBase(block, txHash, response.events), contractAddress },
      };
    });
  }

  execute(sender: string, contract: string, msg: JsonObject): Promise<ExecuteOutcome> {
    return this.transaction(async (block) => {
      await this.freshContract(contract);
      const result = await this.app.wasm.executeContract(sender, [], contract, msg, [], true);
      const response = this.unwrap(result, block);
      const txHash = this.txHash(block, sender, { execute: { contract, msg } });
      const record: TxRecord = {
        kind: 'execute',
        height: block.height,
        timeNs: block.timeNs.toString(),
        txHash,
        contract,
        writes: encodeWrites(this.journalOf(contract)),
      };
      const outcome: ExecuteOutcome = this.txBase(block, txHash, response.events);
      if (response.data) outcome.data = response.data;
      return { record, outcome };
    });
  }

  query<T = unknown>(contract: string, msg: JsonObject): Promise<T> {
    return this.serialize(async () => {
      this.assertUsable();
      const c = await this.contractWithVm(contract);
      let result: SimResult<unknown>;
      try {
        result = c.query(msg, this.committed);
      } catch (err) {
        result = { ok: false, err: true, val: String((err as Error)?.message ?? err) };
      }
      if (result.err) {
        // Defect 4: a trap can leave the instance unusable; never reuse one that failed.
        this.dropVm(contract);
        throw this.toChainError(String(result.val));
      }
      return result.val as T;
    });
  }

  /** Writes a snapshot and empties the log (also done automatically as the log grows). */
  async checkpoint(): Promise<void> {
    await this.serialize(async () => {
      this.assertUsable();
      await this.journal?.compact(() => this.currentState());
    });
  }

  async close(): Promise<void> {
    await this.serialize(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.journal?.close();
    });
  }

  // ---- transactions ----

  /**
   * Runs one transaction at the next height. On any failure the whole app state and clock are
   * restored and the contract VMs dropped (defects 3 and 4); on success the record is made durable
   * before the outcome is returned.
   */
  private transaction<O>(
    run: (block: Block) => Promise<{ record: TxRecord; outcome: O }>,
  ): Promise<O> {
    return this.serialize(async () => {
      this.assertUsable();
      const before = this.app.store.db._data;
      const timeBefore = this.timeNs;
      const block: Block = { height: this.committedHeight() + 1, timeNs: this.nextBlockTime() };
      try {
        this.app.height = block.height;
        this.timeNs = block.timeNs;
        const { record, outcome } = await run(block);
        await this.journal?.append(record);
        this.committed = this.app.store.db._data;
        this.height = block.height;
        await this.journal?.maybeCompact(() => this.currentState());
        return outcome;
      } catch (err) {
        this.app.store.db._data = before;
        this.timeNs = timeBefore;
        this.dropAllVms();
        throw err instanceof ChainError
          ? err
          : this.toChainError(String((err as Error)?.message ?? err), err);
      }
    });
  }

  /** The committed state, for the journal's next snapshot. */
  private currentState() {
    return snapshotSource(this.state, this.height, this.timeNs);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertUsable(): void {
    if (this.closed) throw new ChainError('unavailable', 'embedded chain is closed');
    const broken = this.journal?.failure;
    if (broken) throw new ChainError('unavailable', `embedded chain unusable: ${broken.message}`);
  }

  private unwrap(result: SimResult<SimAppResponse>, block: Block): SimAppResponse {
    if (result.err || typeof result.val === 'string') {
      throw this.toChainError(String(result.val), undefined, block.height);
    }
    return result.val;
  }

  private toChainError(message: string, cause?: unknown, height?: number): ChainError {
    const kind = contractErrorKind(message);
    if (kind && message.startsWith(kind)) {
      return new ChainError('contract', message, {
        rawLog: message,
        contractKind: kind,
        height,
        cause,
      });
    }
    if (/^Contract .* not found$|^code \d+ not found$/.test(message)) {
      return new ChainError('invalid_request', message, { rawLog: message, height, cause });
    }
    return new ChainError('vm_error', `embedded VM: ${message}`, {
      rawLog: message,
      height,
      cause,
    });
  }

  // ---- block clock ----

  private committedHeight(): number {
    return this.height;
  }

  /** Strictly increasing block times, following the wall clock. */
  private nextBlockTime(): bigint {
    const now = this.options.now();
    return now > this.timeNs ? now : this.timeNs + 1n;
  }

  private txBase(block: Block, transactionHash: string, events: readonly ChainEvent[]) {
    return { transactionHash, height: block.height, time: nanosToRfc3339(block.timeNs), events };
  }

  /** Our own tx hash: the simulator's depends only on the result and height. */
  private txHash(block: Block, sender: string, body: JsonObject): string {
    const canonical = canonicalJson({
      body,
      chain_id: this.app.chainId,
      height: block.height,
      sender,
      time: block.timeNs.toString(),
    });
    return createHash('sha256').update(canonical).digest('hex').toUpperCase();
  }

  // ---- VM lifecycle ----

  /**
   * The adapter owns the block clock (no wall-clock reads inside the simulator, so replays and
   * receipts agree) and patches every VM the simulator builds (defect 2).
   */
  private installHooks(): void {
    installSecp256r1Import();
    const app = this.app;
    const wasm = app.wasm;
    app.pushBlock = (callback) => app.store.tx(() => callback() as SimResult<unknown>);
    wasm.getExecutionEnv = (address: string) => ({
      block: { height: app.height, time: this.timeNs.toString(), chain_id: app.chainId },
      contract: { address },
    });
    const patched = new WeakSet<SimContract>();
    const getContract = wasm.getContract.bind(wasm);
    wasm.getContract = (address: string): SimContract => {
      const contract = getContract(address);
      if (!patched.has(contract)) {
        patched.add(contract);
        const init = contract.init.bind(contract);
        contract.init = async () => {
          const codeId = wasm.getContractInfo(address)?.codeId;
          if (codeId !== undefined) this.primeChecksum(codeId);
          await init();
          if (contract.vm) useUtf8ByteLengths(contract.vm);
          return contract;
        };
      }
      return contract;
    };
  }

  /**
   * `WasmModule.checksumCache` is static and keyed by code id only, shared by every simulator in
   * the process; set ours right before a VM is built so another chain's code 1 is never used.
   */
  private primeChecksum(codeId: number): void {
    const checksum = this.checksums.get(codeId);
    const cls = this.app.wasm.constructor as unknown as SimWasmModuleClass;
    if (checksum) cls.checksumCache[codeId] = checksum;
  }

  /** A new VM over the committed storage for each transaction, as a real chain does. */
  private async freshContract(address: string): Promise<SimContract> {
    if (!this.app.wasm.getContractInfo(address)) {
      throw new ChainError('invalid_request', `no contract at ${address}`);
    }
    this.dropVm(address);
    return this.app.wasm.getContract(address).init();
  }

  private async contractWithVm(address: string): Promise<SimContract> {
    if (!this.app.wasm.getContractInfo(address)) {
      throw new ChainError('invalid_request', `no contract at ${address}`);
    }
    const contract = this.app.wasm.getContract(address);
    return contract.vm ? contract : contract.init();
  }

  private dropVm(address: string): void {
    delete this.app.wasm.contracts[address];
  }

  private dropAllVms(): void {
    for (const address of Object.keys(this.app.wasm.contracts)) this.dropVm(address);
  }

  private journalOf(address: string): readonly KvWrite[] {
    const vm: SimVm | undefined = this.app.wasm.getContract(address).vm;
    return vm?.backend.storage.journal ?? [];
  }
}
