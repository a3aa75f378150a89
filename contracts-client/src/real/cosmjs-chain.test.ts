import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { describe, expect, it } from 'vitest';
import type { ChainError } from '../errors.js';
import { CosmjsChain, executeResponseData } from './cosmjs-chain.js';
import type { DeliverTxLike, SigningClientLike } from './cosmjs-chain.js';
import { fromCosmjsError } from './cosmjs-errors.js';
import { gasPriceForSigningClient } from './gas-price.js';

const SENDER = 'wasm1sender';
const CONTRACT = 'wasm1contract';
const noSleep = async () => undefined;

/** `MsgExecuteContractResponse` bytes carrying `data`. */
function responseBytes(data: string): Uint8Array {
  const d = Buffer.from(data);
  return new Uint8Array([0x0a, d.length, ...d]);
}

function ok(height: number, data = '{"head":"ab","new":1,"replayed":0,"items":[]}'): DeliverTxLike {
  return {
    code: 0,
    height,
    transactionHash: `HASH${height}`,
    events: [{ type: 'wasm-consent_recorded', attributes: [{ key: 'head', value: 'ab' }] }],
    gasUsed: 100n,
    gasWanted: 140n,
    msgResponses: [
      { typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContractResponse', value: responseBytes(data) },
    ],
  };
}

/** A scripted SigningClientLike: each signAndBroadcast takes the next step. */
type Fee = Parameters<SigningClientLike['signAndBroadcast']>[2];

function fakeClient(steps: ((fee: Fee) => Promise<DeliverTxLike>)[]) {
  const fees: Fee[] = [];
  const client: SigningClientLike = {
    getChainId: async () => 'testnet-1',
    getHeight: async () => 10,
    getBlock: async () => ({ header: { time: '2024-05-01T12:00:00.123456789Z' } }),
    queryContractSmart: async () => {
      throw new Error(
        'Query failed with (6): rpc error: code = Unknown desc = invalid: bad subject: query wasm contract failed',
      );
    },
    signAndBroadcast: async (_s, _m, fee) => {
      fees.push(fee);
      const step = steps.shift();
      if (!step) throw new Error('no more steps');
      return step(fee);
    },
    upload: async () => ({
      codeId: 1,
      checksum: 'aa',
      transactionHash: 'U',
      height: 1,
      events: [],
    }),
    instantiate: async () => ({
      contractAddress: CONTRACT,
      transactionHash: 'I',
      height: 2,
      events: [],
    }),
    disconnect: () => undefined,
  };
  return { client, fees };
}

describe('CosmjsChain (fake signing client)', () => {
  it('returns height, block time, events and the decoded response data', async () => {
    const { client, fees } = fakeClient([async () => ok(12)]);
    const chain = new CosmjsChain(client, { sleep: noSleep });
    const out = await chain.execute(SENDER, CONTRACT, { record_consents: { items: [] } });
    expect(out).toMatchObject({
      transactionHash: 'HASH12',
      height: 12,
      time: '2024-05-01T12:00:00.123456789Z',
      gasUsed: 100,
    });
    expect(Buffer.from(out.data!, 'base64').toString()).toContain('"new":1');
    expect(fees).toEqual([1.4]);
  });

  it('retries a sequence mismatch (CosmJS refetches the sequence when signing again)', async () => {
    const mismatch = async (): Promise<DeliverTxLike> => {
      throw new Error(
        'Broadcasting transaction failed with code 32 (codespace: sdk). Log: account sequence mismatch, expected 8, got 7: incorrect account sequence',
      );
    };
    const { client, fees } = fakeClient([mismatch, mismatch, async () => ok(13)]);
    const out = await new CosmjsChain(client, { sleep: noSleep }).execute(SENDER, CONTRACT, {});
    expect(out.height).toBe(13);
    expect(fees).toHaveLength(3);
  });

  it('gives up on sequence mismatches after the configured retries, as a retryable error', async () => {
    const steps = Array.from({ length: 4 }, () => async (): Promise<DeliverTxLike> => ({
      ...ok(1),
      code: 32,
      rawLog: 'account sequence mismatch, expected 9, got 8',
    }));
    const { client } = fakeClient(steps);
    const chain = new CosmjsChain(client, { sleep: noSleep, retry: { sequenceRetries: 3 } });
    const err = await chain.execute(SENDER, CONTRACT, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'sequence_mismatch', abciCode: 32, retryable: true });
  });

  it('retries out-of-gas with a higher multiplier, up to the maximum', async () => {
    const outOfGas = async (): Promise<DeliverTxLike> => ({
      ...ok(20),
      code: 11,
      rawLog: 'out of gas in location: WriteFlat; gasWanted: 140, gasUsed: 151: out of gas',
    });
    const { client, fees } = fakeClient([outOfGas, outOfGas, async () => ok(22)]);
    const out = await new CosmjsChain(client, { sleep: noSleep }).execute(SENDER, CONTRACT, {});
    expect(out.height).toBe(22);
    expect(fees).toEqual([1.4, 2.1, 3.15]);

    const always = fakeClient(Array.from({ length: 10 }, () => outOfGas));
    const err = await new CosmjsChain(always.client, { sleep: noSleep })
      .execute(SENDER, CONTRACT, {})
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'out_of_gas', txHash: 'HASH20', height: 20, abciCode: 11 });
    expect(always.fees).toEqual([1.4, 2.1, 3.15]);
  });

  it("offers the caller's gas estimate without simulating, and simulates after out of gas", async () => {
    const outOfGas = async (): Promise<DeliverTxLike> => ({
      ...ok(30),
      code: 11,
      rawLog: 'out of gas in location: WriteFlat; gasWanted: 1000, gasUsed: 1001: out of gas',
    });
    const { client, fees } = fakeClient([async () => ok(31), outOfGas, async () => ok(33)]);
    const chain = new CosmjsChain(client, { sleep: noSleep, gasPrice: '0.025ustake' });
    expect((await chain.execute(SENDER, CONTRACT, {}, { gas: 200_000 })).height).toBe(31);
    // 200,000 × 0.025 = 5,000 ustake: a fee, not a multiplier, so nothing was simulated.
    expect(fees[0]).toEqual({ amount: [{ denom: 'ustake', amount: '5000' }], gas: '200000' });
    expect((await chain.execute(SENDER, CONTRACT, {}, { gas: 1000 })).height).toBe(33);
    expect(fees.slice(1)).toEqual([
      { amount: [{ denom: 'ustake', amount: '25' }], gas: '1000' },
      2.1,
    ]);
    // Without a gas price the estimate cannot set a fee: the chain simulates as before.
    const plain = fakeClient([async () => ok(40)]);
    await new CosmjsChain(plain.client, { sleep: noSleep }).execute(
      SENDER,
      CONTRACT,
      {},
      { gas: 5 },
    );
    expect(plain.fees).toEqual([1.4]);
    await expect(chain.execute(SENDER, CONTRACT, {}, { gas: 0 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('does not retry a contract error, and reports it with hash, height and raw log', async () => {
    const rawLog =
      'failed to execute message; message index: 0: conflict: items[0]: event id evt:1 was already recorded with a different payload: execute wasm contract failed';
    const { client, fees } = fakeClient([async () => ({ ...ok(30), code: 5, rawLog })]);
    const err = (await new CosmjsChain(client, { sleep: noSleep })
      .execute(SENDER, CONTRACT, {})
      .catch((e: unknown) => e)) as ChainError;
    expect(err).toMatchObject({
      code: 'contract',
      contractKind: 'conflict',
      txHash: 'HASH30',
      height: 30,
      rawLog,
      retryable: false,
    });
    expect(fees).toHaveLength(1);
  });

  it('classifies a failed simulation (gas "auto") and query errors as contract errors', async () => {
    const { client } = fakeClient([
      async () => {
        throw new Error(
          'Query failed with (6): rpc error: code = Unknown desc = failed to execute message; message index: 0: unauthorized: sender is not a writer: execute wasm contract failed [CosmWasm/wasmd@v0.53.0/x/wasm/keeper/keeper.go:405] With gas wanted: 300000000: unknown request',
        );
      },
    ]);
    const chain = new CosmjsChain(client, { sleep: noSleep });
    await expect(chain.execute(SENDER, CONTRACT, {})).rejects.toMatchObject({
      code: 'contract',
      contractKind: 'unauthorized',
    });
    await expect(chain.query(CONTRACT, { consent: {} })).rejects.toMatchObject({
      code: 'contract',
      contractKind: 'invalid',
    });
  });

  it('reports a node that is down as unavailable (retryable)', async () => {
    const { client } = fakeClient([
      async () => {
        throw new TypeError('fetch failed', {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:26657'),
        });
      },
    ]);
    await expect(
      new CosmjsChain(client, { sleep: noSleep }).execute(SENDER, CONTRACT, {}),
    ).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
  });
});

describe('fromCosmjsError', () => {
  it('parses a DeliverTx failure message', () => {
    const e = fromCosmjsError(
      new Error(
        'Error when broadcasting tx ABC123 at height 77. Code: 11; Raw log: out of gas in location: x; gasWanted: 1, gasUsed: 2: out of gas',
      ),
    );
    expect(e).toMatchObject({ code: 'out_of_gas', txHash: 'ABC123', height: 77, abciCode: 11 });
  });

  it('treats a CosmJS TimeoutError as timeout with the tx id', () => {
    const timeout = Object.assign(
      new Error('Transaction with ID FFF was submitted but was not yet found on the chain.'),
      {
        name: 'TimeoutError',
        txId: 'FFF',
      },
    );
    expect(fromCosmjsError(timeout)).toMatchObject({
      code: 'timeout',
      txHash: 'FFF',
      retryable: true,
    });
  });

  it('reports insufficient funds as not retryable', () => {
    const e = fromCosmjsError(
      new Error(
        'Broadcasting transaction failed with code 5 (codespace: sdk). Log: 0stake is smaller than 20stake: insufficient funds',
      ),
    );
    expect(e).toMatchObject({ code: 'insufficient_funds', retryable: false });
  });
});

describe('executeResponseData', () => {
  it('decodes field 1 of MsgExecuteContractResponse', () => {
    expect(Buffer.from(executeResponseData(responseBytes('hi'))!, 'base64').toString()).toBe('hi');
    expect(executeResponseData(new Uint8Array())).toBeUndefined();
  });
});

describe('gasPriceForSigningClient', () => {
  // The installed SigningCosmWasmClient checks `instanceof GasPrice` against its own nested copy of
  // @cosmjs/stargate; offline, signing stops at the query client, after the fee was computed.
  async function feeStep(gasPrice: unknown): Promise<string> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      { prefix: 'wasm' },
    );
    const [account] = await wallet.getAccounts();
    const client = await SigningCosmWasmClient.offline(wallet, { gasPrice: gasPrice as never });
    (client as unknown as { simulate: () => Promise<number> }).simulate = async () => 100_000;
    const msg = {
      typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
      value: {
        sender: account!.address,
        contract: account!.address,
        msg: new Uint8Array([123, 125]),
        funds: [],
      },
    };
    return client.signAndBroadcast(account!.address, [msg], 1.4).then(
      () => 'sent',
      (e: Error) => e.message,
    );
  }

  it('builds a GasPrice the installed client accepts (the top-level @cosmjs/stargate one is refused)', async () => {
    expect(await feeStep(GasPrice.fromString('0.025stake'))).toMatch(
      /Gas price must be a GasPrice instance/,
    );
    expect(await feeStep(gasPriceForSigningClient('0.025stake'))).toMatch(
      /Query client not available/,
    );
  });
});
