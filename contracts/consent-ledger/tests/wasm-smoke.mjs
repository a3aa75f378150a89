// Smoke test of the built wasm through the raw CosmWasm ABI, with no dependencies: a tiny
// host in JavaScript implements the `env` imports the way the VM does (regions allocated via
// the contract's `allocate`, db_next sections, iterators) and drives the exports.
// It runs the scenario twice: with wasmd semantics, and with the quirks of the JS simulator
// (@oraichain/cosmwasm-vm-js): iterator handles are region pointers, and keys where one is a
// prefix of the other compare equal (any such collision is counted and fails the test).
//
//   node tests/wasm-smoke.mjs [artifacts/consent_ledger.wasm]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';

const wasmPath =
  process.argv[2] ?? new URL('../artifacts/consent_ledger.wasm', import.meta.url).pathname;
const module = new WebAssembly.Module(readFileSync(wasmPath));
const enc = new TextEncoder();
const dec = new TextDecoder();
const sha = (s) => createHash('sha256').update(s).digest('hex');

function cmpBytes(a, b, prefixEqual) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  if (prefixEqual) return 0; // the simulator's defect
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function makeHost(quirks) {
  let inst;
  const store = []; // sorted [key, value]
  const iterators = [];
  let collisions = 0;
  const mem = () => new DataView(inst.exports.memory.buffer);
  const readRegion = (ptr) => {
    const dv = mem();
    const off = dv.getUint32(ptr, true),
      len = dv.getUint32(ptr + 8, true);
    assert.ok(len <= dv.getUint32(ptr + 4, true), 'region length > capacity');
    return new Uint8Array(inst.exports.memory.buffer.slice(off, off + len));
  };
  const writeRegion = (bytes) => {
    const ptr = inst.exports.allocate(bytes.length);
    const dv = mem();
    new Uint8Array(inst.exports.memory.buffer).set(bytes, dv.getUint32(ptr, true));
    dv.setUint32(ptr + 8, bytes.length, true);
    return ptr;
  };
  const find = (key) => store.findIndex(([k]) => cmpBytes(k, key, quirks) === 0);
  const be32 = (n) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  const env = {
    db_read: (k) => {
      const i = find(readRegion(k));
      return i < 0 ? 0 : writeRegion(store[i][1]);
    },
    db_write: (k, v) => {
      const key = readRegion(k),
        value = readRegion(v);
      assert.ok(value.length > 0, 'empty value written');
      const i = find(key);
      if (i >= 0) {
        if (cmpBytes(store[i][0], key, false) !== 0) collisions++;
        store[i][1] = value;
      } else {
        store.push([key, value]);
        store.sort((a, b) => cmpBytes(a[0], b[0], false));
      }
    },
    db_remove: (k) => {
      const i = find(readRegion(k));
      if (i >= 0) store.splice(i, 1);
    },
    db_scan: (s, e, order) => {
      const start = s ? readRegion(s) : null,
        end = e ? readRegion(e) : null;
      let data = store.filter(
        ([k]) =>
          (!start || cmpBytes(k, start, quirks) >= 0) && (!end || cmpBytes(k, end, quirks) < 0),
      );
      if (order === 2) data = [...data].reverse();
      else assert.equal(order, 1);
      iterators.push({ data, pos: 0 });
      const id = iterators.length;
      return quirks ? writeRegion(be32(id)) : id; // the simulator hands out a region pointer
    },
    db_next: (h) => {
      const id = quirks ? new DataView(readRegion(h).buffer).getUint32(0) : h;
      const it = iterators[id - 1];
      const rec = it.data[it.pos++];
      if (!rec) return writeRegion(new Uint8Array(8));
      const [k, v] = rec;
      return writeRegion(new Uint8Array([...k, ...be32(k.length), ...v, ...be32(v.length)]));
    },
    addr_validate: (p) =>
      dec.decode(readRegion(p)).startsWith('wasm1') ? 0 : writeRegion(enc.encode('bad prefix')),
    // Signed consent items are exercised on cw-simulate (@noble/curves) and wasmd, not here.
    secp256r1_verify: () => {
      throw new Error('secp256r1_verify is not part of the ABI smoke test');
    },
    abort: (p) => {
      throw new Error('abort: ' + dec.decode(readRegion(p)));
    },
  };
  inst = new WebAssembly.Instance(module, { env });
  let height = 1;
  const envJson = () => ({
    block: {
      height,
      time: String(1700000000n * 1000000000n + BigInt(height)),
      chain_id: 'smoke-1',
    },
    transaction: { index: 0 },
    contract: { address: 'wasm1contract' },
  });
  const call = (name, ...args) => {
    const ptrs = args.map((a) => writeRegion(enc.encode(JSON.stringify(a))));
    const out = inst.exports[name](...ptrs);
    const bytes = readRegion(out);
    inst.exports.deallocate(out);
    return JSON.parse(dec.decode(bytes));
  };
  return {
    instantiate: (sender, msg) => call('instantiate', envJson(), { sender, funds: [] }, msg),
    execute: (sender, msg) => {
      height++;
      return call('execute', envJson(), { sender, funds: [] }, msg);
    },
    queryRaw: (msg) => call('query', envJson(), msg),
    query(msg) {
      const r = this.queryRaw(msg);
      assert.ok('ok' in r, JSON.stringify(r));
      return JSON.parse(Buffer.from(r.ok, 'base64').toString());
    },
    pages: () => inst.exports.memory.buffer.byteLength / 65536,
    collisions: () => collisions,
    store,
  };
}

function scenario(quirks) {
  const h = makeHost(quirks);
  const ADMIN = 'wasm1admnzzzzzz',
    W = 'wasm1wrtrzzzzzz';
  const ok = (r) => {
    assert.ok('ok' in r, JSON.stringify(r));
    return r.ok;
  };
  const err = (r, needle) => {
    assert.ok('error' in r, JSON.stringify(r));
    assert.ok(r.error.includes(needle), r.error);
  };
  const attr = (resp, key) => resp.attributes.find((a) => a.key === key)?.value;

  ok(h.instantiate('wasm1someone', { admin: ADMIN, writers: [W] }));
  err(h.instantiate('wasm1someone', { admin: 'cosmos1qqqqqqq', writers: [] }), 'bad prefix'); // via env.addr_validate
  assert.deepEqual(h.query({ config: {} }), { admin: ADMIN, writers: [W] });

  const item = (i, subj, scope, version) => ({
    event_id: `e${i}`,
    subject: sha(subj),
    scope,
    decision: i % 2 ? 'deny' : 'permit',
    version,
    evidence: sha(`ev${i}`),
    time: '2024-05-01T12:00:00Z',
  });
  // Scopes "k"/"kk" and event ids "e1"/"e11" are prefixes of each other on purpose.
  const items = [item(1, 's', 'k', 1), item(11, 's', 'kk', 1), item(2, 't', 'k', 1)];
  const r = ok(h.execute(W, { record_consents: { items } }));
  assert.equal(attr(r, 'new'), '3');
  assert.equal(r.events[0].type, 'consent_recorded');
  const head = h.query({ head: {} });
  assert.equal(head.consents, 3);
  assert.equal(attr(r, 'head'), head.head);
  const r2 = ok(h.execute(W, { record_consents: { items } }));
  assert.equal(attr(r2, 'replayed'), '3');
  assert.equal(h.query({ head: {} }).head, head.head);
  err(
    h.execute(W, {
      record_consents: {
        items: [{ ...items[0], decision: items[0].decision === 'deny' ? 'permit' : 'deny' }],
      },
    }),
    'conflict',
  );
  err(h.execute('wasm1stranger', { record_consents: { items } }), 'unauthorized');
  assert.equal(h.query({ consent: { subject: sha('s'), scope: 'k' } }).event_id, 'e1');
  assert.equal(h.query({ consent: { subject: sha('s'), scope: 'kk' } }).event_id, 'e11');

  for (let v = 2; v <= 8; v++)
    ok(h.execute(W, { record_consents: { items: [item(100 + v, 's', 'k', v)] } }));
  const hist = (q) =>
    h.query({ consent_history: { subject: sha('s'), ...q } }).consents.map((c) => c.seq);
  assert.deepEqual(hist({}), [1, 2, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(hist({ start_after: 2, limit: 3 }), [4, 5, 6]);
  assert.deepEqual(hist({ start_after: 10 }), []);
  assert.deepEqual(
    h.query({ consent_history: { subject: sha('t') } }).consents.map((c) => c.seq),
    [3],
  );

  for (let b = 1; b <= 5; b++)
    ok(
      h.execute(W, {
        anchor_audit: {
          batch: b,
          merkle_root: sha(`r${b}`),
          first_seq: b * 10,
          last_seq: b * 10 + 9,
          count: 10,
        },
      }),
    );
  err(
    h.execute(W, {
      anchor_audit: { batch: 6, merkle_root: sha('r6'), first_seq: 61, last_seq: 61, count: 1 },
    }),
    'must start at seq 60',
  );
  assert.deepEqual(
    h.query({ anchors: { writer: W, start_after: 2, limit: 2 } }).anchors.map((a) => a.batch),
    [3, 4],
  );
  ok(
    h.execute(W, {
      record_grants: {
        items: [
          {
            event_id: 'g-k',
            grant_id: 'k',
            study_id: 'st',
            cohort_root: sha('c'),
            expiry: '1893456000',
          },
          { event_id: 'g-kk', grant_id: 'kk', study_id: 'st', cohort_root: sha('c'), expiry: 1 },
        ],
      },
    }),
  );
  assert.equal(h.query({ grant: { grant_id: 'k' } }).expiry, 1893456000);
  assert.equal(h.query({ grant: { grant_id: 'kk' } }).expiry, 1);

  ok(h.execute(ADMIN, { remove_writer: { address: W } }));
  assert.deepEqual(h.query({ config: {} }).writers, []);
  err(h.queryRaw({ nope: {} }), 'unknown variant');
  err(h.execute(W, 'not an object'), 'parse error');

  // Memory must stay bounded over many calls (regions are freed on both sides).
  const before = h.pages();
  for (let i = 0; i < 2000; i++) h.query({ consent_history: { subject: sha('s') } });
  assert.ok(h.pages() <= before + 1, `memory grew from ${before} to ${h.pages()} pages`);
  assert.equal(h.collisions(), 0, 'prefix-key collisions');
  console.log(
    `wasm-smoke: ${quirks ? 'simulator-quirks' : 'wasmd'} mode OK (${h.store.length} keys, ${h.pages()} pages)`,
  );
}

scenario(false);
scenario(true);
