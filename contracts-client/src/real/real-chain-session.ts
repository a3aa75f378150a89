import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import type {
  ChainBackend,
  ExecuteOptions,
  ExecuteOutcome,
  InstantiateOutcome,
  JsonObject,
  UploadOutcome,
} from '../chain.js';
import { ChainError, isChainError } from '../errors.js';
import { expectedConsentLedgerChecksum } from '../wasm-artifact.js';
import type { CosmjsChain, CosmjsChainOptions } from './cosmjs-chain.js';
import { connectRealChain } from './connect-real-chain.js';
import type { RealChainParams } from './connect-real-chain.js';

export interface RealChainSessionParams extends RealChainParams {
  /** When set, a node reporting another chain id is refused (`wrong_chain`). */
  expectedChainId?: string;
  /** When set, it must be a contract running the committed consent-ledger code (`wrong_contract`). */
  contractAddress?: string;
}

/** The address of a mnemonic's first account, computed locally (no node needed). */
export async function senderAddress(mnemonic: string, prefix: string): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
  const [account] = await wallet.getAccounts();
  if (!account) throw new ChainError('invalid_request', 'the mnemonic yields no account');
  return account.address;
}

/**
 * A real chain that connects when first used and again after a failed connection, so an API can
 * start while its node is down (the outbox queues meanwhile). On every (re)connection it checks
 * that the node is on the expected chain and that the contract runs the consent-ledger code;
 * either failure needs an operator and is reported as such (`wrong_chain`, `wrong_contract`).
 */
export class RealChainSession implements ChainBackend {
  readonly kind = 'real' as const;
  private connection: Promise<CosmjsChain> | null = null;
  private closed = false;

  constructor(
    private readonly params: RealChainSessionParams,
    private readonly options: CosmjsChainOptions = {},
  ) {}

  private backend(): Promise<CosmjsChain> {
    if (this.closed) return Promise.reject(new ChainError('unavailable', 'the chain is closed'));
    this.connection ??= this.connect().catch((err: unknown) => {
      this.connection = null;
      throw err;
    });
    return this.connection;
  }

  private async connect(): Promise<CosmjsChain> {
    const { backend } = await connectRealChain(this.params, this.options);
    try {
      const chainId = await backend.getChainId();
      const expected = this.params.expectedChainId;
      if (expected && chainId !== expected) {
        throw new ChainError(
          'wrong_chain',
          `the node at ${this.params.rpcUrl} is on chain "${chainId}", not "${expected}" (CHAIN_ID)`,
        );
      }
      const contract = this.params.contractAddress;
      if (contract) await checkContractCode(backend, contract, chainId);
      return backend;
    } catch (err) {
      await backend.close();
      throw err;
    }
  }

  /** Runs `fn` on the connected backend; a lost node drops the connection for the next call. */
  private async use<T>(fn: (b: CosmjsChain) => Promise<T>): Promise<T> {
    const backend = await this.backend();
    try {
      return await fn(backend);
    } catch (err) {
      if (isChainError(err, 'unavailable')) this.connection = null;
      throw err;
    }
  }

  getChainId(): Promise<string> {
    return this.use((b) => b.getChainId());
  }
  getHeight(): Promise<number> {
    return this.use((b) => b.getHeight());
  }
  upload(sender: string, wasm: Uint8Array): Promise<UploadOutcome> {
    return this.use((b) => b.upload(sender, wasm));
  }
  instantiate(
    sender: string,
    codeId: number,
    msg: JsonObject,
    label: string,
    admin?: string,
  ): Promise<InstantiateOutcome> {
    return this.use((b) => b.instantiate(sender, codeId, msg, label, admin));
  }
  execute(
    sender: string,
    contract: string,
    msg: JsonObject,
    options?: ExecuteOptions,
  ): Promise<ExecuteOutcome> {
    return this.use((b) => b.execute(sender, contract, msg, options));
  }
  query<T = unknown>(contract: string, msg: JsonObject): Promise<T> {
    return this.use((b) => b.query<T>(contract, msg));
  }
  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    await (await connection?.catch(() => null))?.close();
  }
}

async function checkContractCode(
  backend: CosmjsChain,
  contract: string,
  chainId: string,
): Promise<void> {
  let code: { codeId: number; checksum: string };
  try {
    code = await backend.contractCode(contract);
  } catch (err) {
    if (isChainError(err, 'unavailable', 'timeout')) throw err;
    throw new ChainError(
      'wrong_contract',
      `there is no contract ${contract} on chain ${chainId} (CONSENT_CONTRACT_ADDRESS): ${(err as Error).message.slice(0, 200)}`,
      { cause: err },
    );
  }
  const expected = await expectedConsentLedgerChecksum();
  if (code.checksum !== expected) {
    throw new ChainError(
      'wrong_contract',
      `contract ${contract} on chain ${chainId} runs code ${code.codeId} with checksum ${code.checksum}, not the consent-ledger (checksum ${expected})`,
    );
  }
}
