/**
 * One block per defect of @oraichain/cw-simulate 2.8 (shared/notes/chain.md). Each has
 * - an "upstream" test that reproduces the defect on the stock simulator, so we notice when an
 *   upgrade fixes it (and can drop the workaround), and
 * - a test of our EmbeddedChain that fails without the workaround.
 */
import { BinaryKVIterStorage, CWSimulateApp, SimulateCosmWasmClient } from '@oraichain/cw-simulate';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SigningConsentLedger } from '../consent-ledger.js';
import { chainHead } from '../head-hash.js';
import type { ConsentItem } from '../messages.js';
import { ADMIN, embeddedFixture, WRITER } from '../test-support/embedded-fixture.js';
import { consentItems } from '../test-support/fixtures.js';
import { loadConsentLedgerWasm } from '../wasm-artifact.js';
import type { EmbeddedChain } from './embedded-chain.js';
import type { SimApp, SimResult } from './simulator-internals.js';
import { compareBytes, sortedStorageClass } from './sorted-storage.js';
import type { StorageFaults } from './sorted-storage.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const record = (items: ConsentItem[]) => ({ record_consents: { items } });

/** The stock simulator with the contract deployed, no workarounds. */
async function stockApp() {
  const app = new CWSimulateApp({
    chainId: 'stock-1',
    bech32Prefix: 'wasm',
    debug: () => undefined,
  }) as unknown as SimApp;
  const codeId = app.wasm.create(ADMIN, (await loadConsentLedgerWasm()).bytes);
  const inst = await app.wasm.instantiateContract(
    ADMIN,
    [],
    codeId,
    { admin: ADMIN, writers: [WRITER] },
    'x',
    null,
    null,
    [],
    false,
  );
  const address = (inst.val as { events: { attributes: { value: string }[] }[] }).events[0]!
    .attributes[0]!.value;
  const exec = (items: ConsentItem[]) =>
    app.wasm.executeContract(WRITER, [], address, record(items), [], false);
  const head = () =>
    app.wasm.query(address, { head: {} }) as unknown as SimResult<{
      consents: number;
      head: string;
    }>;
  return { app, address, exec, head };
}

function internals(chain: EmbeddedChain): SimApp {
  return (chain as unknown as { app: SimApp }).app;
}

describe('defect 1: keys that are prefixes of one another compare equal', () => {
  it('upstream: the stock store overwrites "k" when "kk" is written', () => {
    const store = new BinaryKVIterStorage();
    store.set(bytes('k'), bytes('one'));
    store.set(bytes('kk'), bytes('two'));
    expect(store.dict.size).toBe(1);
    expect(text(store.get(bytes('k')))).toBe('two');
  });

  it('our store keeps "k" and "kk" apart and scans [start, end) in byte order', () => {
    const Storage = sortedStorageClass();
    const store = new Storage();
    store.set(bytes('kk'), bytes('two'));
    store.set(bytes('k'), bytes('one'));
    store.set(bytes('k\u0000'), bytes('zero-suffix'));
    store.set(bytes('l'), bytes('next'));
    expect(text(store.get(bytes('k')))).toBe('one');
    expect(text(store.get(bytes('kk')))).toBe('two');
    const scan = (start: string | null, end: string | null, order = 1) => {
      const id = store.scan(
        start === null ? null : bytes(start),
        end === null ? null : bytes(end),
        order,
      );
      return store.all(id).map((r) => text(r.key));
    };
    expect(scan('k', 'l')).toEqual(['k', 'k\u0000', 'kk']);
    expect(scan('k', 'kk')).toEqual(['k', 'k\u0000']);
    expect(scan('kk', null)).toEqual(['kk', 'l']);
    expect(scan(null, 'k\u0000', 2)).toEqual(['k']);
    expect(scan('l', 'k')).toEqual([]);
    store.remove(bytes('k'));
    expect(text(store.get(bytes('kk')))).toBe('two');
    expect(store.journal.map(([k, v]) => [text(k), text(v)])).toContainEqual(['k', null]);
  });

  it('the embedded chain stores contract state with our byte order', async () => {
    const { chain, contract, ledger } = await embeddedFixture();
    await ledger.recordConsents(consentItems('d1', 0, 2));
    const dict = internals(chain).wasm.getContractStorage(contract) as unknown as {
      getComparator(): unknown;
    };
    expect(dict.getComparator()).toBe(compareBytes);
    await chain.close();
  });
});

describe('defect 2: a non-ASCII character in a message overflows the VM buffer', () => {
  const scope = 'génomique';

  it('upstream: the stock simulator throws "offset is out of bounds"', async () => {
    const { exec } = await stockApp();
    const res = await exec(consentItems('d2', 0, 1, { scope }));
    expect(res.err).toBe(true);
    expect(String(res.val)).toMatch(/offset is out of bounds/);
  });

  it('our VM sizes regions in UTF-8 bytes: the contract receives the text and answers', async () => {
    const { chain, ledger } = await embeddedFixture();
    const err = await ledger
      .recordConsents(consentItems('d2', 0, 1, { scope }))
      .catch((e: unknown) => e);
    // The contract itself refuses it (scopes are ASCII), quoting the character it received.
    expect(err).toMatchObject({ code: 'contract', contractKind: 'invalid' });
    expect((err as Error).message).toContain('g\\u{e9}nomique');
    await expect(ledger.consent('a'.repeat(64), 'é')).rejects.toMatchObject({ code: 'contract' });
    // And the chain is fine afterwards.
    await ledger.recordConsents(consentItems('d2', 1, 1));
    expect((await ledger.head()).consents).toBe(1);
    await chain.close();
  });
});

describe('defect 3: writes of a failed transaction leak into the next one', () => {
  /** Makes the store throw at the n-th write of the next tx (a trap after some writes landed). */
  function failNthWrite(): StorageFaults & { arm(n: number): void } {
    let countdown = 0;
    return {
      arm(n) {
        countdown = n;
      },
      beforeWrite() {
        if (countdown > 0 && --countdown === 0) throw new Error('injected fault during writes');
      },
    };
  }

  it('upstream: after a trap mid-write, the next successful tx persists the partial writes', async () => {
    const { app, address, exec, head } = await stockApp();
    await app.wasm.getContract(address).init();
    const storage = app.wasm.getContract(address).vm!.backend.storage;
    const set = storage.set.bind(storage);
    let n = 0;
    storage.set = (k: Uint8Array, v: Uint8Array) => {
      if (++n === 3) throw new Error('injected');
      set(k, v);
    };
    expect((await exec(consentItems('d3', 0, 5))).err).toBe(true);
    expect((await exec(consentItems('d3', 100, 1))).ok).toBe(true);
    // One consent recorded, but the state claims more: the failed batch leaked.
    expect((head().val as { consents: number }).consents).toBeGreaterThan(1);
  });

  it('our chain restores state after a failed tx: it leaves no trace', async () => {
    const faults = failNthWrite();
    const { chain, ledger } = await embeddedFixture({ faults });
    const first = consentItems('d3', 0, 2);
    await ledger.recordConsents(first);
    const before = await ledger.head();
    const height = await chain.getHeight();

    faults.arm(3);
    const failed = await ledger.recordConsents(consentItems('d3', 10, 5)).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'vm_error' });
    expect(await ledger.head()).toEqual(before);
    expect(await chain.getHeight()).toBe(height);

    const next = consentItems('d3', 100, 1);
    await ledger.recordConsents(next);
    const after = await ledger.head();
    expect(after.consents).toBe(3);
    expect(after.head).toBe(
      chainHead([...first, ...next].map((i) => ({ kind: 'consent' as const, ...i }))),
    );
    for (let i = 10; i < 15; i++) expect(await ledger.event(`d3:${i}`)).toBeNull();
    await chain.close();
  });

  it('our chain does not advance the height for a failed tx', async () => {
    const { chain, ledger } = await embeddedFixture();
    const height = await chain.getHeight();
    await expect(
      ledger.recordConsents(consentItems('d3', 0, 1, { subject: 'bad' })),
    ).rejects.toMatchObject({
      code: 'contract',
    });
    expect(await chain.getHeight()).toBe(height);
    const receipt = await ledger.recordConsents(consentItems('d3', 0, 1));
    expect(receipt.height).toBe(height + 1);
    await chain.close();
  });
});

describe('defect 4: one wasm instance is reused, even after a trap', () => {
  const TRAPS = 800; // each trap strands the stack it had; ~660 exhaust the instance

  it('upstream: enough traps leave the instance unusable for every later call', async () => {
    const { app, address, exec } = await stockApp();
    await app.wasm.getContract(address).init();
    const storage = app.wasm.getContract(address).vm!.backend.storage;
    const get = storage.get.bind(storage);
    let trap = false;
    storage.get = (k: Uint8Array) => {
      if (trap) throw new Error('injected trap');
      return get(k);
    };
    let broken = false;
    for (let i = 0; i < TRAPS && !broken; i++) {
      trap = true;
      await exec(consentItems('d4', i, 1));
      trap = false;
      broken = (await exec(consentItems('d4-ok', i, 1))).err;
    }
    expect(broken).toBe(true);
  });

  it('our chain uses a fresh instance per tx and after a failed query, so traps do not accumulate', async () => {
    let trap = false;
    const { chain, contract, ledger } = await embeddedFixture({
      faults: {
        beforeRead() {
          if (trap) throw new Error('injected trap');
        },
      },
    });
    const instance = () => internals(chain).wasm.getContract(contract).vm?.instance;
    await ledger.recordConsents(consentItems('d4', 0, 1));
    const firstInstance = instance();
    trap = true;
    for (let i = 0; i < TRAPS; i++) {
      await expect(ledger.head()).rejects.toMatchObject({ code: 'vm_error' });
    }
    await expect(ledger.recordConsents(consentItems('d4', 1, 1))).rejects.toMatchObject({
      code: 'vm_error',
    });
    trap = false;
    expect((await ledger.head()).consents).toBe(1);
    await ledger.recordConsents(consentItems('d4', 1, 1));
    expect(instance()).not.toBe(firstInstance);
    expect((await ledger.head()).consents).toBe(2);
    await chain.close();
  });
});

describe('defect 5: executeMultiple is not atomic', () => {
  it('upstream: a failing second message leaves the first one applied', async () => {
    const { app } = await stockApp();
    const client = new SimulateCosmWasmClient(app as never);
    const address = Object.keys(
      (app.wasm.store.get('contracts') as { toObject(): object }).toObject(),
    )[0]!;
    const ok = { contractAddress: address, msg: record(consentItems('d5', 0, 1)) };
    const bad = {
      contractAddress: address,
      msg: record(consentItems('d5', 1, 1, { subject: 'bad' })),
    };
    await expect(client.executeMultiple(WRITER, [ok, bad], 'auto')).rejects.toThrow(/invalid/);
    const head = (await client.queryContractSmart(address, { head: {} })) as { consents: number };
    expect(head.consents).toBe(1);
  });

  it('our chain has one message per transaction and no executeMultiple', async () => {
    const { chain } = await embeddedFixture();
    expect('executeMultiple' in chain).toBe(false);
    expect(chain.execute.length).toBe(3); // (sender, contract, msg)
    await chain.close();
  });
});

describe('defect 6: the built-in save/restore loses contract storage', () => {
  it('upstream: toBytes()/from() brings the contract back without its storage', async () => {
    const { app, address, exec } = await stockApp();
    await exec(consentItems('d6', 0, 3));
    const client = new SimulateCosmWasmClient(app as never);
    const restored = await SimulateCosmWasmClient.from(client.toBytes());
    const answer = await restored.queryContractSmart(address, { head: {} }).then(
      (h: { consents: number }) => h.consents,
      (e: Error) => e.message,
    );
    expect(answer).not.toBe(3);
  });

  it('our snapshot + tx log bring everything back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'defect6-'));
    try {
      const first = await embeddedFixture({ dir });
      await first.ledger.recordConsents(consentItems('d6', 0, 3));
      await first.chain.checkpoint(); // state now only in the snapshot
      await first.ledger.recordConsents(consentItems('d6', 3, 2)); // and in the log
      const head = await first.ledger.head();
      await first.chain.close();
      const { EmbeddedChain } = await import('./embedded-chain.js');
      const chain = await EmbeddedChain.open({ dir });
      const ledger = new SigningConsentLedger(chain, first.contract, WRITER);
      expect(await ledger.head()).toEqual(head);
      expect(await ledger.event('d6:0')).toMatchObject({ seq: 1 });
      await chain.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
