import { createHash } from 'node:crypto';

/**
 * Merkle trees over audit event hashes, as RFC 6962 (Certificate Transparency) defines them:
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits
 * at the largest power of two below n. The domain separation bytes stop a leaf from posing as a
 * node. Any verifier (the portal, a participant's own script) can check a proof with SHA-256 alone.
 */

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The leaf hash of one audit event hash (hex in, hex out). */
export function merkleLeaf(eventHashHex: string): string {
  return sha256(LEAF, Buffer.from(eventHashHex, 'hex')).toString('hex');
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function root(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPowerOfTwoBelow(leaves.length);
  return sha256(NODE, root(leaves.slice(0, k)), root(leaves.slice(k)));
}

/** The Merkle root of a non-empty list of event hashes (hex). */
export function merkleRoot(eventHashes: readonly string[]): string {
  if (eventHashes.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  return root(eventHashes.map((h) => Buffer.from(merkleLeaf(h), 'hex'))).toString('hex');
}

/** One step of an inclusion proof: the sibling hash and which side it is on. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

/**
 * The tree of one batch, built once for any number of proofs: its leaves are hashed once and each
 * subtree root once (memoised by position), so a page of events from the same batch costs one
 * tree, not one tree per event (a proof used to rehash every sibling subtree from its leaves).
 */
export class MerkleTree {
  private readonly leaves: Buffer[];
  private readonly roots = new Map<number, Buffer>();

  /**
   * `eventHashes` are leaf data (hashed with 0x00 first); with `nodes`, they are already the roots
   * of subtrees (the chunk roots of a batch) and are used as they are.
   */
  constructor(eventHashes: readonly string[], nodes = false) {
    if (eventHashes.length === 0) throw new Error('a Merkle tree needs at least one leaf');
    this.leaves = eventHashes.map((h) =>
      nodes ? Buffer.from(h, 'hex') : sha256(LEAF, Buffer.from(h, 'hex')),
    );
  }

  /** The number of leaves. */
  get size(): number {
    return this.leaves.length;
  }

  /** The root of the leaves [start, start + size): RFC 6962's MTH over that range. */
  private rootOf(start: number, size: number): Buffer {
    if (size === 1) return this.leaves[start]!;
    // start < 2^32 and size < 2^21 in any batch we seal: the key is unique.
    const key = start * 2 ** 21 + size;
    let r = this.roots.get(key);
    if (!r) {
      const k = largestPowerOfTwoBelow(size);
      r = sha256(NODE, this.rootOf(start, k), this.rootOf(start + k, size - k));
      this.roots.set(key, r);
    }
    return r;
  }

  /** The root, hex. */
  root(): string {
    return this.rootOf(0, this.leaves.length).toString('hex');
  }

  /** The audit path proving the event at `index` is in the tree, leaf first. */
  proof(index: number): ProofStep[] {
    if (index < 0 || index >= this.leaves.length) throw new RangeError('leaf index out of range');
    const steps: ProofStep[] = [];
    let start = 0;
    let size = this.leaves.length;
    let at = index;
    while (size > 1) {
      const k = largestPowerOfTwoBelow(size);
      if (at < k) {
        steps.push({ side: 'right', hash: this.rootOf(start + k, size - k).toString('hex') });
        size = k;
      } else {
        steps.push({ side: 'left', hash: this.rootOf(start, k).toString('hex') });
        start += k;
        at -= k;
        size -= k;
      }
    }
    // Collected root first; a verifier folds from the leaf up.
    return steps.reverse();
  }
}

/** The audit path proving that the event at `index` is in the tree of `eventHashes`. */
export function inclusionProof(eventHashes: readonly string[], index: number): ProofStep[] {
  if (index < 0 || index >= eventHashes.length) throw new RangeError('leaf index out of range');
  return new MerkleTree(eventHashes).proof(index);
}

/** Recomputes the root from one event hash and its proof; true when it equals `rootHex`. */
export function verifyInclusion(
  eventHashHex: string,
  proof: readonly ProofStep[],
  rootHex: string,
): boolean {
  let acc: Buffer = Buffer.from(merkleLeaf(eventHashHex), 'hex');
  for (const step of proof) {
    const sibling = Buffer.from(step.hash, 'hex');
    acc = step.side === 'left' ? sha256(NODE, sibling, acc) : sha256(NODE, acc, sibling);
  }
  return acc.toString('hex') === rootHex;
}

/**
 * Events per chunk: sealing stores the root of each run of CHUNK events of a batch, so a proof
 * needs the CHUNK hashes around its event and the batch's chunk roots, not the whole batch.
 * RFC 6962 splits n leaves at the largest power of two below n, so every aligned run of CHUNK
 * leaves (and the shorter last run) is a subtree, and the tree over the chunk roots has the same
 * root as the tree over the leaves.
 */
export const CHUNK = 32;

/** The roots of the batch's aligned runs of CHUNK events, hex, in order. */
export function chunkRoots(eventHashes: readonly string[]): string[] {
  const roots: string[] = [];
  for (let i = 0; i < eventHashes.length; i += CHUNK)
    roots.push(new MerkleTree(eventHashes.slice(i, i + CHUNK)).root());
  return roots;
}

/**
 * The inclusion proof of the event at `index` of a batch, from the hashes of its chunk and the
 * batch's chunk roots: the same steps as `inclusionProof` over the whole batch.
 */
export function chunkedInclusionProof(
  chunkHashes: readonly string[],
  index: number,
  roots: readonly string[],
): ProofStep[] {
  const chunk = Math.floor(index / CHUNK);
  if (chunk >= roots.length) throw new RangeError('leaf index out of range');
  return [
    ...new MerkleTree(chunkHashes).proof(index % CHUNK),
    ...new MerkleTree(roots, true).proof(chunk),
  ];
}
