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

function path(index: number, leaves: Buffer[]): ProofStep[] {
  if (leaves.length === 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  if (index < k) {
    return [
      ...path(index, leaves.slice(0, k)),
      { side: 'right', hash: root(leaves.slice(k)).toString('hex') },
    ];
  }
  return [
    ...path(index - k, leaves.slice(k)),
    { side: 'left', hash: root(leaves.slice(0, k)).toString('hex') },
  ];
}

/** The audit path proving that the event at `index` is in the tree of `eventHashes`. */
export function inclusionProof(eventHashes: readonly string[], index: number): ProofStep[] {
  if (index < 0 || index >= eventHashes.length) throw new RangeError('leaf index out of range');
  return path(
    index,
    eventHashes.map((h) => Buffer.from(merkleLeaf(h), 'hex')),
  );
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
