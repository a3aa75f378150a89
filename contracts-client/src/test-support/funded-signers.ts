import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { connectRealChain } from '../real/connect-real-chain.js';
import type { RealChainParams } from '../real/connect-real-chain.js';
import { gasPriceForSigningClient } from '../real/gas-price.js';
import type { Signer } from './membership-suite.js';

/** Enough for a few dozen contract calls at the localnet's gas price. */
const FUNDING = '50000000';

/**
 * `n` fresh keys on a real chain, each funded by a bank send from the mnemonic in `params`, each
 * with its own signing backend: separate institutions that sign for themselves.
 */
export async function fundedSigners(params: RealChainParams, n: number): Promise<Signer[]> {
  const denom = /^[0-9.]+(.+)$/.exec(params.gasPrice)?.[1];
  if (!denom) throw new Error(`cannot read a denom from gas price ${params.gasPrice}`);
  const funder = await DirectSecp256k1HdWallet.fromMnemonic(params.mnemonic, {
    prefix: params.prefix,
  });
  const [from] = await funder.getAccounts();
  const bank = await SigningCosmWasmClient.connectWithSigner(params.rpcUrl, funder, {
    gasPrice: gasPriceForSigningClient(params.gasPrice) as never,
    broadcastPollIntervalMs: 200,
  });
  const signers: Signer[] = [];
  try {
    for (let i = 0; i < n; i += 1) {
      const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: params.prefix });
      const [account] = await wallet.getAccounts();
      await bank.sendTokens(from!.address, account!.address, [{ denom, amount: FUNDING }], 'auto');
      const { backend, sender } = await connectRealChain({ ...params, mnemonic: wallet.mnemonic });
      signers.push({ backend, address: sender });
    }
  } finally {
    bank.disconnect();
  }
  return signers;
}
