import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainBackend } from '../chain.js';
import { SigningConsentLedger } from '../consent-ledger.js';
import { chainHead } from '../head-hash.js';
import { MAX_BATCH_ITEMS, ZERO_HEAD } from '../messages.js';
import type { ConsentItem } from '../messages.js';
import { receiptDigest } from '../receipt.js';
import { expectRefused } from './expect-refused.js';
import { consentItems, grantItem, hex64 } from './fixtures.js';

/**
 * The contract test suite, written against ChainBackend only so that the same tests run on the
 * embedded chain (always) and on a real chain (when CHAIN_RPC_URL is set). Only `sender` ever
 * signs (a real chain has one funded key); other parties are addresses that never sign.
 */
export interface SuiteChain {
  backend: ChainBackend;
  sender: string;
  /** A valid address on this chain that is not `sender` (never signs). */
  otherAddress: (name: string) => string;
  wasm: Uint8Array;
  teardown(): Promise<void>;
}

export function defineContractSuite(label: string, open: () => Promise<SuiteChain>): void {
  describe(`consent-ledger contract on the ${label}`, () => {
    let env: SuiteChain;
    let codeId: number;

    beforeAll(async () => {
      env = await open();
      codeId = (await env.backend.upload(env.sender, env.wasm)).codeId;
    });
    afterAll(async () => {
      await env?.teardown();
    });

    /** A fresh contract; by default `sender` is admin and the only writer. */
    async function deploy(
      options: { admin?: string; writers?: string[] } = {},
    ): Promise<SigningConsentLedger> {
      const admin = options.admin ?? env.sender;
      const writers = options.writers ?? [env.sender];
      const { contractAddress } = await env.backend.instantiate(
        env.sender,
        codeId,
        { admin, writers },
        'suite',
        admin,
      );
      return new SigningConsentLedger(env.backend, contractAddress, env.sender);
    }

    /** Head + counts + config: what "nothing changed" compares. */
    async function state(ledger: SigningConsentLedger) {
      const [head, config] = await Promise.all([ledger.head(), ledger.config()]);
      return { ...head, ...config };
    }

    it('instantiates with the admin, the writers and an empty head', async () => {
      const writer = env.otherAddress('writer-a');
      const ledger = await deploy({ writers: [env.sender, writer] });
      expect(await ledger.config()).toEqual({
        admin: env.sender,
        writers: [env.sender, writer].sort(),
      });
      expect(await ledger.head()).toEqual({ head: ZERO_HEAD, consents: 0, anchors: 0, grants: 0 });
    });

    it('lets only writers record and only the admin change writers', async () => {
      const ledger = await deploy({ writers: [] });
      const before = await state(ledger);
      // The admin is not implicitly a writer.
      await expectRefused(ledger.recordConsents(consentItems('gate', 0, 1)), 'unauthorized');
      expect(await state(ledger)).toEqual(before);

      const added = await ledger.addWriter(env.sender);
      expect(added.headHash).toBe(ZERO_HEAD);
      expect((await ledger.config()).writers).toEqual([env.sender]);
      await ledger.recordConsents(consentItems('gate', 0, 1));

      await ledger.removeWriter(env.sender);
      const afterRemove = await state(ledger);
      await expectRefused(ledger.recordConsents(consentItems('gate', 1, 1)), 'unauthorized');
      expect(await state(ledger)).toEqual(afterRemove);

      const foreign = await deploy({ admin: env.otherAddress('admin'), writers: [env.sender] });
      const foreignBefore = await state(foreign);
      await expectRefused(foreign.addWriter(env.otherAddress('writer-b')), 'unauthorized');
      await expectRefused(foreign.removeWriter(env.sender), 'unauthorized');
      expect(await state(foreign)).toEqual(foreignBefore);
    });

    it('records consents with receipts, replays idempotently and refuses conflicts', async () => {
      const ledger = await deploy();
      const items = consentItems('c', 0, 3);
      const receipt = await ledger.recordConsents(items);
      const head = await ledger.head();
      expect(head.consents).toBe(3);
      expect(receipt.headHash).toBe(head.head);
      // Off-chain recomputation of the head from the payloads agrees with the contract.
      expect(chainHead(items.map((i) => ({ kind: 'consent' as const, ...i })))).toBe(head.head);
      expect(receipt.chainId).toBe(await env.backend.getChainId());
      expect(receipt.digest).toBe(
        receiptDigest({
          message: { record_consents: { items } },
          sender: env.sender,
          height: receipt.height,
          time: receipt.time,
        }),
      );
      expect(receipt.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(receipt.summary).toMatchObject({ new: 3, replayed: 0 });
      expect(receipt.summary?.items.map((i) => i.seq)).toEqual([1, 2, 3]);

      // Replay: accepted, nothing stored, head unchanged.
      const replay = await ledger.recordConsents(items);
      expect(replay.headHash).toBe(head.head);
      expect(replay.summary).toMatchObject({ new: 0, replayed: 3 });
      expect(await ledger.head()).toEqual(head);

      // Mixed batch: the replayed item keeps its seq, the new one is appended.
      const mixed = await ledger.recordConsents([items[0]!, ...consentItems('c', 3, 1)]);
      expect(mixed.summary?.items).toEqual([
        { id: 'c:0', seq: 1, replayed: true },
        { id: 'c:3', seq: 4, replayed: false },
      ]);
      const afterMixed = await state(ledger);
      expect(afterMixed.consents).toBe(4);

      // Same event id, different payload.
      await expectRefused(ledger.recordConsents([{ ...items[1]!, decision: 'deny' }]), 'conflict');
      // Version must increase for the same (subject, scope).
      const sameSubject: ConsentItem = { ...items[2]!, event_id: 'c:again', version: 1 };
      await expectRefused(ledger.recordConsents([sameSubject]), 'rejected');
      // One bad item fails the whole batch.
      await expectRefused(
        ledger.recordConsents([
          ...consentItems('c', 10, 2),
          { ...consentItems('c', 12, 1)[0]!, subject: 'XYZ' },
        ]),
        'invalid',
      );
      expect(await state(ledger)).toEqual(afterMixed);
      expect(await ledger.event('c:10')).toBeNull();

      const latest = await ledger.consent(items[2]!.subject, items[2]!.scope);
      expect(latest).toMatchObject({ seq: 3, event_id: 'c:2', decision: 'permit', version: 1 });
      expect(latest?.block_height).toBe(receipt.height);
      expect(await ledger.consent(hex64('nobody'), 'research:genomics')).toBeNull();
      expect(await ledger.event('c:1')).toMatchObject({ kind: 'consent', seq: 2 });
    });

    it('keeps a subject history across scopes and versions, paginated by seq', async () => {
      const ledger = await deploy();
      const subject = hex64('history-subject');
      const items = Array.from({ length: 25 }, (_, i) => ({
        ...consentItems('h', i, 1)[0]!,
        subject,
        scope: `scope:${i % 5}`,
        version: Math.floor(i / 5) + 1,
        decision: i % 2 ? ('deny' as const) : ('permit' as const),
      }));
      await ledger.recordConsents(items);
      const first = await ledger.consentHistory(subject);
      expect(first.consents.map((c) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const rest = await ledger.consentHistory(subject, { startAfter: 20 });
      expect(rest.consents.map((c) => c.seq)).toEqual([21, 22, 23, 24, 25]);
      const small = await ledger.consentHistory(subject, { startAfter: 3, limit: 2 });
      expect(small.consents.map((c) => c.event_id)).toEqual(['h:3', 'h:4']);
      expect((await ledger.consentHistory(subject, { limit: 1000 })).consents).toHaveLength(25);
      expect(await ledger.consent(subject, 'scope:4')).toMatchObject({
        version: 5,
        event_id: 'h:24',
      });
      expect((await ledger.consentHistory(hex64('other'))).consents).toEqual([]);
    });

    it('anchors audit batches contiguously and replays them idempotently', async () => {
      const ledger = await deploy();
      const a1 = {
        batch: 1,
        merkle_root: hex64('root-1'),
        first_seq: 1,
        last_seq: 250,
        count: 250,
      };
      const r1 = await ledger.anchorAudit(a1);
      const afterOne = await state(ledger);
      expect(afterOne.anchors).toBe(1);
      expect(r1.headHash).toBe(afterOne.head);
      // The head binds which writer (institution) sealed the batch.
      const w = ledger.sender;
      expect(chainHead([{ kind: 'anchor', ...a1, writer: w }])).toBe(afterOne.head);

      await expectRefused(
        ledger.anchorAudit({ ...a1, batch: 3, first_seq: 251, last_seq: 260, count: 10 }),
        'rejected',
      );
      await expectRefused(
        ledger.anchorAudit({ ...a1, batch: 2, first_seq: 252, last_seq: 260, count: 9 }),
        'rejected',
      );
      await expectRefused(
        ledger.anchorAudit({ ...a1, batch: 2, first_seq: 251, last_seq: 260, count: 9 }),
        'invalid',
      );
      await expectRefused(ledger.anchorAudit({ ...a1, batch: 0 }), 'invalid');
      await expectRefused(ledger.anchorAudit({ ...a1, merkle_root: hex64('other') }), 'conflict');
      expect(await state(ledger)).toEqual(afterOne);

      const replay = await ledger.anchorAudit(a1);
      expect(replay.headHash).toBe(afterOne.head);
      expect(replay.summary?.items).toEqual([{ id: '1', seq: 1, replayed: true }]);

      const a2 = {
        batch: 2,
        merkle_root: hex64('root-2'),
        first_seq: 251,
        last_seq: 260,
        count: 10,
      };
      const a3 = {
        batch: 3,
        merkle_root: hex64('root-3'),
        first_seq: 261,
        last_seq: 261,
        count: 1,
      };
      await ledger.anchorAudit(a2);
      await ledger.anchorAudit(a3);
      expect(await ledger.anchor(w, 2)).toMatchObject({ ...a2, writer: w });
      expect(await ledger.anchor(w, 4)).toBeNull();
      const all = await ledger.anchors(w);
      expect(all.anchors.map((a) => a.batch)).toEqual([1, 2, 3]);
      expect(all.total).toBe(3);
      expect(
        (await ledger.anchors(w, { startAfter: 1, limit: 1 })).anchors.map((a) => a.batch),
      ).toEqual([2]);
      expect((await ledger.head()).head).toBe(
        chainHead([a1, a2, a3].map((a) => ({ kind: 'anchor' as const, ...a, writer: w }))),
      );
    });

    it('records grants, idempotent by event id, with unique grant ids', async () => {
      const ledger = await deploy();
      const g = grantItem('17');
      const receipt = await ledger.recordGrants([g]);
      const after = await state(ledger);
      expect(after.grants).toBe(1);
      expect(receipt.headHash).toBe(after.head);
      expect(chainHead([{ kind: 'grant', ...g }])).toBe(after.head);
      expect(await ledger.grant('grant-17')).toMatchObject({
        seq: 1,
        grant_id: 'grant-17',
        expiry: 1893456000,
      });
      expect(await ledger.event(g.event_id)).toMatchObject({ kind: 'grant', seq: 1 });
      expect(await ledger.grant('grant-none')).toBeNull();

      // `expiry` as a decimal string is the same payload: a replay.
      const replay = await ledger.recordGrants([{ ...g, expiry: '1893456000' }]);
      expect(replay.summary).toMatchObject({ new: 0, replayed: 1 });
      await expectRefused(
        ledger.recordGrants([{ ...grantItem('18'), grant_id: 'grant-17' }]),
        'conflict',
      );
      await ledger.recordConsents(consentItems('shared', 0, 1));
      const withConsent = await state(ledger);
      // Event ids are unique across kinds.
      await expectRefused(
        ledger.recordGrants([{ ...grantItem('19'), event_id: 'shared:0' }]),
        'conflict',
      );
      expect(await state(ledger)).toEqual(withConsent);
    });

    it('refuses malformed, foreign and oversized messages and changes nothing', async () => {
      const ledger = await deploy();
      await ledger.recordConsents(consentItems('m', 0, 2));
      const before = await state(ledger);
      const send = (msg: Record<string, unknown>) =>
        env.backend.execute(env.sender, ledger.contractAddress, msg);

      await expectRefused(send({ burn_everything: {} }), 'parse error');
      await expectRefused(
        send({ record_consents: { items: consentItems('m', 5, 1), extra: 1 } }),
        'parse error',
      );
      await expectRefused(
        send({ record_consents: { items: [{ ...consentItems('m', 5, 1)[0], colour: 'red' }] } }),
        'parse error',
      );
      await expectRefused(send({ record_consents: { items: [] } }), 'invalid');
      await expectRefused(send({ anchor_audit: { batch: 1 } }), 'parse error');
      await expectRefused(
        send({ record_consents: { items: consentItems('m', 5, 1, { time: 'yesterday' }) } }),
        'invalid',
      );
      await expectRefused(send({ add_writer: { address: 'not-an-address' } }), 'invalid');
      // The contract enforces the batch limit itself ...
      await expectRefused(
        send({ record_consents: { items: consentItems('big', 0, MAX_BATCH_ITEMS + 1) } }),
        'invalid',
      );
      expect(await state(ledger)).toEqual(before);

      // ... and the client refuses before sending.
      const tooMany = ledger.recordConsents(consentItems('big', 0, MAX_BATCH_ITEMS + 1));
      await expect(tooMany).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(ledger.recordGrants([])).rejects.toMatchObject({ code: 'invalid_request' });

      // A full batch is fine.
      const full = await ledger.recordConsents(consentItems('full', 0, MAX_BATCH_ITEMS));
      expect(full.summary?.new).toBe(MAX_BATCH_ITEMS);
    });

    // Where the two adapters differ by nature, this pins what each reports (README, "Embedded
    // chain and wasmd: what differs").
    it('reports tx hashes, heights, times, events and gas as pinned for its adapter', async () => {
      const ledger = await deploy();
      const send = (start: number) =>
        env.backend.execute(env.sender, ledger.contractAddress, {
          record_consents: { items: consentItems('pin', start, 2) },
        });
      const a = await send(0);
      const b = await send(2);
      for (const o of [a, b]) {
        expect(o.transactionHash).toMatch(/^[0-9A-F]{64}$/);
        expect(o.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
        const recorded = o.events.find((e) => e.type === 'wasm-consent_recorded');
        expect(recorded?.attributes.map((x) => x.key)).toEqual(
          expect.arrayContaining(['head', 'new', 'total', 'first_seq', 'last_seq']),
        );
        expect(o.data).toBeTruthy();
      }
      expect(a.transactionHash).not.toBe(b.transactionHash);
      expect(b.time > a.time).toBe(true);
      if (env.backend.kind === 'embedded') {
        // One tx per block, height + 1 each; no gas accounting.
        expect(b.height).toBe(a.height + 1);
        expect(a.gasUsed).toBeUndefined();
      } else {
        // Blocks hold any number of txs; gas is metered and reported.
        expect(b.height).toBeGreaterThan(a.height);
        expect(a.gasUsed).toBeGreaterThan(0);
        expect(a.gasWanted).toBeGreaterThanOrEqual(a.gasUsed!);
      }
    });
  });
}
