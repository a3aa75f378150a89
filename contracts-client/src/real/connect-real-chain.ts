import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { ChainError } from '../errors.js';
import { CosmjsChain } from './cosmjs-chain.js';
import { gasPriceForSigningClient } from './gas-price.js';
import type { CosmjsChainOptions, SigningClientLike } from './cosmjs-chain.js';

export interface RealChainConnection {
  backend: CosmjsChain;
  /** The address of the mnemonic's first account: the sender of every tx. */
  sender: string;
}

export interface RealChainParams {
  rpcUrl: string;
  mnemonic: string;
  prefix: string;
  /** e.g. `0.025ustake` */
  gasPrice: string;
  /** How often to ask whether a broadcast tx is in a block; CosmJS's default is 3 s. */
  broadcastPollMs?: number;
}

/** Connects to a node with a key from a mnemonic (CosmJS `connectWithSigner`). */
export async function connectRealChain(
  params: RealChainParams,
  options: CosmjsChainOptions = {},
): Promise<RealChainConnection> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(params.mnemonic, {
    prefix: params.prefix,
  });
  const [account] = await wallet.getAccounts();
  if (!account) throw new ChainError('invalid_request', 'the mnemonic yields no account');
  let client: SigningCosmWasmClient;
  try {
    client = await SigningCosmWasmClient.connectWithSigner(params.rpcUrl, wallet, {
      gasPrice: gasPriceForSigningClient(params.gasPrice) as never,
      broadcastPollIntervalMs: params.broadcastPollMs ?? 200,
    });
  } catch (err) {
    throw new ChainError(
      'unavailable',
      `cannot connect to ${params.rpcUrl}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return {
    backend: new CosmjsChain(client as unknown as SigningClientLike, {
      gasPrice: params.gasPrice,
      ...options,
    }),
    sender: account.address,
  };
}
