import type { ChainBackend } from './chain.js';
import type { InstantiateMsg } from './messages.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

export interface DeployOptions {
  /** Signs the upload and instantiate txs; also the default contract admin. */
  sender: string;
  admin?: string;
  writers?: string[];
  label?: string;
  /** Wasm bytes; default: the committed artifact, checksum-verified. */
  wasm?: Uint8Array;
}

export interface Deployment {
  chainId: string;
  codeId: number;
  checksum: string;
  contractAddress: string;
  admin: string;
  writers: string[];
  uploadTxHash: string;
  instantiateTxHash: string;
  height: number;
}

export const DEFAULT_CONTRACT_LABEL = 'consentome consent-ledger';

/** Uploads the consent-ledger wasm and instantiates it (`consentome chain deploy`). */
export async function deployConsentLedger(
  backend: ChainBackend,
  options: DeployOptions,
): Promise<Deployment> {
  const wasm = options.wasm ?? (await loadConsentLedgerWasm()).bytes;
  const admin = options.admin ?? options.sender;
  const writers = options.writers ?? [];
  const upload = await backend.upload(options.sender, wasm);
  const msg: InstantiateMsg = { admin, writers };
  const inst = await backend.instantiate(
    options.sender,
    upload.codeId,
    { ...msg },
    options.label ?? DEFAULT_CONTRACT_LABEL,
    admin,
  );
  return {
    chainId: await backend.getChainId(),
    codeId: upload.codeId,
    checksum: upload.checksum,
    contractAddress: inst.contractAddress,
    admin,
    writers,
    uploadTxHash: upload.transactionHash,
    instantiateTxHash: inst.transactionHash,
    height: inst.height,
  };
}
