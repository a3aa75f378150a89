import {
  SigningConsentLedger,
  connectRealChain,
  deployConsentLedger,
  readChainConfig,
  type ChainBackend,
  type InstantiateMsg,
} from '@consentome/contracts-client';

/** A chain with a fresh consent-ledger contract, whichever adapter it is. */
export interface TestLedger {
  kind: 'embedded' | 'real';
  backend: ChainBackend;
  ledger: SigningConsentLedger;
  contractAddress: string;
  close(): Promise<void>;
}

/**
 * A fresh contract on the real chain in CHAIN_* (the wasmd localnet of `npm test`), signed for by
 * the mnemonic's first account as admin and writer. Reuses the localnet's uploaded code
 * (CONSENT_CODE_ID) when there is one, so each test file costs one instantiate.
 */
export async function openRealTestLedger(label = 'server test'): Promise<TestLedger> {
  const config = readChainConfig();
  if (config.mode !== 'real') throw new Error('a real-chain test needs CHAIN_RPC_URL');
  const { backend, sender } = await connectRealChain(config);
  let contractAddress: string;
  const codeId = Number(process.env.CONSENT_CODE_ID);
  if (Number.isInteger(codeId) && codeId > 0) {
    const msg: InstantiateMsg = { admin: sender, writers: [sender] };
    contractAddress = (await backend.instantiate(sender, codeId, { ...msg }, label, sender))
      .contractAddress;
  } else {
    contractAddress = (await deployConsentLedger(backend, { sender, writers: [sender], label }))
      .contractAddress;
  }
  return {
    kind: 'real',
    backend,
    ledger: new SigningConsentLedger(backend, contractAddress, sender),
    contractAddress,
    close: () => backend.close(),
  };
}
