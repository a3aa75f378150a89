import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  hexToBytes,
  verifyAgainstChain,
  verifyEventProof,
  type VerifiableEvent,
} from './merkle-verify';

/** An independent RFC 6962 reference, with Node's hash rather than Web Crypto. */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leaf = (hash: Buffer) => sha(Buffer.from([0]), hash);
const node = (left: Buffer, right: Buffer) => sha(Buffer.from([1]), left, right);

/** Four chained events, their tree, and the proof of the event at `index`. */
function anchoredEvent(index: number): VerifiableEvent {
  let prev = Buffer.alloc(32);
  const events = [0, 1, 2, 3].map((i) => {
    const canonical = JSON.stringify({ seq: i + 1, action: 'consent.read' });
    const hash = sha(prev, Buffer.from(canonical, 'utf8'));
    const event = { prevHash: prev.toString('hex'), canonical, hash };
    prev = hash;
    return event;
  });
  const leaves = events.map((e) => leaf(e.hash));
  const pairs = [node(leaves[0]!, leaves[1]!), node(leaves[2]!, leaves[3]!)];
  const root = node(pairs[0]!, pairs[1]!);
  const sibling = leaves[index ^ 1]!;
  const uncle = pairs[(index >> 1) ^ 1]!;
  const e = events[index]!;
  return {
    hash: e.hash.toString('hex'),
    prevHash: e.prevHash,
    canonical: e.canonical,
    proof: {
      merkleRoot: root.toString('hex'),
      steps: [
        { side: index % 2 ? 'left' : 'right', hash: sibling.toString('hex') },
        { side: index < 2 ? 'right' : 'left', hash: uncle.toString('hex') },
      ],
    },
  };
}

describe('verifyEventProof', () => {
  it.each([0, 1, 2, 3])('accepts the proof of leaf %i of a four-event batch', async (i) => {
    const event = anchoredEvent(i);
    const check = await verifyEventProof(event);
    expect(check).toMatchObject({ ok: true, hashOk: true, rootOk: true, reason: null });
    expect(check.computedHash).toBe(event.hash);
    expect(check.computedRoot).toBe(event.proof!.merkleRoot);
  });

  it('refuses an event whose content was altered', async () => {
    const event = { ...anchoredEvent(2), canonical: '{"seq":3,"action":"consent.update"}' };
    const check = await verifyEventProof(event);
    expect(check.ok).toBe(false);
    expect(check.hashOk).toBe(false);
    expect(check.reason).toMatch(/altered/);
  });

  it('refuses a proof that leads to another root', async () => {
    const event = anchoredEvent(1);
    const steps = [...event.proof!.steps].reverse();
    const check = await verifyEventProof({ ...event, proof: { ...event.proof!, steps } });
    expect(check).toMatchObject({ ok: false, hashOk: true, rootOk: false });
    expect(check.reason).toMatch(/Merkle root/);
  });

  it('compares hashes without regard to case', async () => {
    const event = anchoredEvent(0);
    const upper = {
      ...event,
      hash: event.hash.toUpperCase(),
      proof: { ...event.proof!, merkleRoot: event.proof!.merkleRoot.toUpperCase() },
    };
    expect((await verifyEventProof(upper)).ok).toBe(true);
  });

  it('says why when the proof is malformed, missing, or cannot be checked', async () => {
    const event = anchoredEvent(0);
    const badSide = await verifyEventProof({
      ...event,
      proof: { ...event.proof!, steps: [{ side: 'up', hash: event.hash }] },
    });
    expect(badSide.ok).toBe(false);
    expect(badSide.reason).toMatch(/malformed: unknown proof side "up"/);
    const badHex = await verifyEventProof({ ...event, prevHash: 'zz' });
    expect(badHex.reason).toMatch(/malformed: not hex/);
    expect((await verifyEventProof({ ...event, proof: null })).reason).toBe(
      'This event has no proof yet.',
    );
    expect((await verifyEventProof(event, null)).reason).toMatch(/no Web Crypto/);
  });
});

describe('hex', () => {
  it('round-trips bytes and refuses what is not whole bytes of hex', () => {
    expect(bytesToHex(hexToBytes('00ff10Ab'))).toBe('00ff10ab');
    expect(() => hexToBytes('abc')).toThrow(/not hex/);
    expect(() => hexToBytes('0g')).toThrow(/not hex/);
  });
});

describe('verifyAgainstChain', () => {
  const proven = (i: number) => {
    const e = anchoredEvent(i);
    return { ...e, proof: { ...e.proof!, batch: 7 } };
  };

  it('verifies only against the root read from the chain', async () => {
    const event = proven(2);
    const asked: number[] = [];
    const check = await verifyAgainstChain(event, async (batch) => {
      asked.push(batch);
      return event.proof.merkleRoot;
    });
    expect(asked).toEqual([7]);
    expect(check).toMatchObject({ ok: true, chainRoot: event.proof.merkleRoot });
  });

  it('fails when the served root agrees with the proof but the chain holds another', async () => {
    const event = proven(0);
    const check = await verifyAgainstChain(event, async () => 'ab'.repeat(32));
    expect(check.ok).toBe(false);
    expect(check.hashOk).toBe(true);
    expect(check.reason).toMatch(/Merkle root held on chain/);
  });

  it('fails when the chain holds no anchor or cannot be read', async () => {
    expect((await verifyAgainstChain(proven(1), async () => null)).reason).toMatch(/no anchor/);
    const down = await verifyAgainstChain(proven(1), async () => {
      throw new Error('offline');
    });
    expect(down).toMatchObject({ ok: false, reason: expect.stringMatching(/could not read/) });
  });
});
