import { describe, expect, it } from 'vitest';
import { ChainConfigError, readChainConfig } from './config.js';

const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('readChainConfig', () => {
  it('selects the embedded chain without CHAIN_RPC_URL', () => {
    expect(readChainConfig({})).toEqual({ mode: 'embedded', prefix: 'wasm' });
    expect(readChainConfig({ CHAIN_PREFIX: 'cosmos', CHAIN_RPC_URL: '  ' })).toEqual({
      mode: 'embedded',
      prefix: 'cosmos',
    });
  });

  it('reads a real chain configuration', () => {
    expect(
      readChainConfig({
        CHAIN_RPC_URL: 'http://localhost:26657',
        CHAIN_MNEMONIC: MNEMONIC,
        CHAIN_GAS_PRICE: '0.025ustake',
        CONSENT_CONTRACT_ADDRESS: 'wasm1abc',
      }),
    ).toEqual({
      mode: 'real',
      rpcUrl: 'http://localhost:26657',
      mnemonic: MNEMONIC,
      prefix: 'wasm',
      gasPrice: '0.025ustake',
      broadcastPollMs: 200,
      contractAddress: 'wasm1abc',
    });
    expect(
      readChainConfig({
        CHAIN_RPC_URL: 'http://localhost:26657',
        CHAIN_MNEMONIC: MNEMONIC,
        CHAIN_GAS_PRICE: '0.025ustake',
        CHAIN_ID: 'consentome-local',
        CHAIN_BROADCAST_POLL_MS: '3000',
      }),
    ).toMatchObject({ expectedChainId: 'consentome-local', broadcastPollMs: 3000 });
    expect(() =>
      readChainConfig({
        CHAIN_RPC_URL: 'http://n:1',
        CHAIN_MNEMONIC: MNEMONIC,
        CHAIN_GAS_PRICE: '1u',
        CHAIN_ID: 'bad id',
      }),
    ).toThrow(/CHAIN_ID/);
  });

  it('lists every problem and never echoes the mnemonic', () => {
    const secret = 'secret words that are not twelve';
    let err: unknown;
    try {
      readChainConfig({
        CHAIN_RPC_URL: 'ftp://x',
        CHAIN_MNEMONIC: secret,
        CHAIN_GAS_PRICE: 'cheap',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChainConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/CHAIN_RPC_URL/);
    expect(message).toMatch(/CHAIN_GAS_PRICE/);
    expect(message).not.toContain(secret);
    expect(() => readChainConfig({ CHAIN_RPC_URL: 'http://node:26657' })).toThrow(
      /CHAIN_MNEMONIC is required/,
    );
  });
});
