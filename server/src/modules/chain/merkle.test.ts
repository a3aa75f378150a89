import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CHUNK,
  MerkleTree,
  chunkRoots,
  chunkedInclusionProof,
  inclusionProof,
  merkleLeaf,
  merkleRoot,
  verifyInclusion,
} from './merkle.js';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

describe('Merkle trees (RFC 6962)', () => {
  it('a single leaf is its own root, hashed with the 0x00 prefix', () => {
    expect(merkleRoot([h('a')])).toBe(merkleLeaf(h('a')));
    expect(merkleLeaf(h('a'))).toBe(
      sha(Buffer.from([0]), Buffer.from(h('a'), 'hex')).toString('hex'),
    );
  });

  it('three leaves split 2 + 1, as RFC 6962 specifies', () => {
    const [a, b, c] = [h('a'), h('b'), h('c')].map((x) => Buffer.from(merkleLeaf(x), 'hex'));
    const ab = sha(Buffer.from([1]), a!, b!);
    expect(merkleRoot([h('a'), h('b'), h('c')])).toBe(
      sha(Buffer.from([1]), ab, c!).toString('hex'),
    );
  });

  it('every leaf of trees of 1..33 leaves has a proof that verifies, and only against its own root', () => {
    for (let n = 1; n <= 33; n += 1) {
      const leaves = Array.from({ length: n }, (_, i) => h(`event-${n}-${i}`));
      const r = merkleRoot(leaves);
      for (let i = 0; i < n; i += 1) {
        const proof = inclusionProof(leaves, i);
        expect(verifyInclusion(leaves[i]!, proof, r)).toBe(true);
        expect(verifyInclusion(h('forged'), proof, r)).toBe(false);
      }
    }
  });

  it('changing any leaf changes the root', () => {
    const leaves = Array.from({ length: 10 }, (_, i) => h(`x${i}`));
    const r = merkleRoot(leaves);
    for (let i = 0; i < leaves.length; i += 1) {
      const altered = [...leaves];
      altered[i] = h(`tampered${i}`);
      expect(merkleRoot(altered)).not.toBe(r);
    }
  });

  it("a proof from the event's chunk and the batch's chunk roots equals the proof over the whole batch", () => {
    for (const n of [1, 2, 31, 32, 33, 63, 64, 65, 97, 200, 1_000]) {
      const leaves = Array.from({ length: n }, (_, i) =>
        createHash('sha256').update(`event ${n}/${i}`).digest('hex'),
      );
      const roots = chunkRoots(leaves);
      expect(new MerkleTree(roots, true).root()).toBe(merkleRoot(leaves));
      for (let i = 0; i < n; i += n > 100 ? 7 : 1) {
        const start = i - (i % CHUNK);
        const steps = chunkedInclusionProof(leaves.slice(start, start + CHUNK), i, roots);
        expect(steps).toEqual(inclusionProof(leaves, i));
        expect(verifyInclusion(leaves[i]!, steps, merkleRoot(leaves))).toBe(true);
      }
    }
  });
});
