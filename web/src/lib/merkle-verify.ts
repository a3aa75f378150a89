/**
 * Checks a timeline event's proof with nothing but SHA-256 (Web Crypto), so a participant's own
 * browser — not the platform — decides whether the event is anchored on chain:
 *
 * 1. hash = SHA-256(prevHash bytes ‖ UTF-8 canonical) must equal the event's hash;
 * 2. leaf = SHA-256(0x00 ‖ hash bytes), then for each step node = SHA-256(0x01 ‖ left ‖ right)
 *    with the step's hash on its `side`; the result must equal the batch's Merkle root (RFC 6962).
 *
 * Pure: no DOM, no SvelteKit imports; runs in the browser and in Node (globalThis.crypto).
 */

/** One step of an inclusion proof: the sibling hash and the side it goes on. */
export interface MerkleStep {
  side: string;
  hash: string;
}

/** What the check needs of an event. */
export interface VerifiableEvent {
  hash: string;
  prevHash: string;
  canonical: string;
  proof: { merkleRoot: string; steps: readonly MerkleStep[] } | null;
}

/** The outcome, with the recomputed values so the page can show them. */
export interface ProofCheck {
  ok: boolean;
  /** True when the recomputed event hash equals the stored one. */
  hashOk: boolean;
  /** True when folding the proof gives the Merkle root. */
  rootOk: boolean;
  computedHash: string | null;
  computedRoot: string | null;
  /** Why the check failed, in plain words (null when it passed). */
  reason: string | null;
}

const HEX = /^(?:[0-9a-f]{2})*$/i;

/** Hex to bytes; throws on anything that is not whole bytes of hex. */
export function hexToBytes(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new Error(`not hex: ${hex.slice(0, 16)}…`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Bytes to lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** SHA-256 of the concatenated parts, with the given SubtleCrypto. */
export async function sha256(subtle: SubtleCrypto, ...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest('SHA-256', concat(parts)));
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** The Web Crypto of this runtime, or null where there is none (e.g. plain http off localhost). */
export function defaultSubtle(): SubtleCrypto | null {
  return (globalThis.crypto as Crypto | undefined)?.subtle ?? null;
}

/** Recomputes an event's hash and folds its inclusion proof. Never throws. */
export async function verifyEventProof(
  event: VerifiableEvent,
  subtle: SubtleCrypto | null = defaultSubtle(),
): Promise<ProofCheck> {
  const result: ProofCheck = {
    ok: false,
    hashOk: false,
    rootOk: false,
    computedHash: null,
    computedRoot: null,
    reason: null,
  };
  if (!subtle) {
    result.reason = 'This browser offers no Web Crypto here, so it cannot check the proof.';
    return result;
  }
  if (!event.proof) {
    result.reason = 'This event has no proof yet.';
    return result;
  }
  try {
    const computedHash = bytesToHex(
      await sha256(subtle, hexToBytes(event.prevHash), new TextEncoder().encode(event.canonical)),
    );
    result.computedHash = computedHash;
    result.hashOk = computedHash === event.hash.toLowerCase();
    let acc = await sha256(subtle, LEAF, hexToBytes(event.hash));
    for (const step of event.proof.steps) {
      const sibling = hexToBytes(step.hash);
      if (step.side === 'left') acc = await sha256(subtle, NODE, sibling, acc);
      else if (step.side === 'right') acc = await sha256(subtle, NODE, acc, sibling);
      else throw new Error(`unknown proof side "${step.side}"`);
    }
    result.computedRoot = bytesToHex(acc);
    result.rootOk = result.computedRoot === event.proof.merkleRoot.toLowerCase();
  } catch (e) {
    result.reason = `The proof is malformed: ${e instanceof Error ? e.message : String(e)}.`;
    return result;
  }
  result.ok = result.hashOk && result.rootOk;
  if (!result.hashOk)
    result.reason = 'The event’s content does not match its hash: it may have been altered.';
  else if (!result.rootOk)
    result.reason = 'The proof does not lead to the Merkle root held on chain.';
  return result;
}

/** A proof check against the root the chain holds, with that root. */
export interface ChainCheck extends ProofCheck {
  /** The Merkle root read from the chain for the event's batch (null when it could not be read). */
  chainRoot: string | null;
}

/** Reads the Merkle root the chain holds for a batch: null when the chain holds none. */
export type ChainRootReader = (batch: number) => Promise<string | null>;

/** The answer when the proof could not be checked against the chain at all, and why. */
function notChecked(reason: string): ChainCheck {
  return {
    ok: false,
    hashOk: false,
    rootOk: false,
    computedHash: null,
    computedRoot: null,
    chainRoot: null,
    reason,
  };
}

/**
 * Checks an event against the chain, not against what our API says: reads the batch's root from
 * the chain (through `readRoot`), then recomputes the event hash and folds the inclusion proof to
 * that root. `ok` only when both match. Never throws.
 */
export async function verifyAgainstChain(
  event: VerifiableEvent & {
    proof: { batch: number; merkleRoot: string; steps: readonly MerkleStep[] };
  },
  readRoot: ChainRootReader,
  subtle: SubtleCrypto | null = defaultSubtle(),
): Promise<ChainCheck> {
  let chainRoot: string | null;
  try {
    chainRoot = await readRoot(event.proof.batch);
  } catch (e) {
    return notChecked(
      `Your browser could not read the chain: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }
  if (!chainRoot) return notChecked(`The chain holds no anchor for batch ${event.proof.batch}.`);
  const check = await verifyEventProof(
    { ...event, proof: { ...event.proof, merkleRoot: chainRoot } },
    subtle,
  );
  return { ...check, chainRoot };
}

/** Reads a batch's root through the portal's pass-through of the API's read-only anchor route. */
export function portalChainRoot(fetchFn: typeof fetch = fetch): ChainRootReader {
  return async (batch) => {
    const res = await fetchFn(`/chain-anchors/${batch}`, {
      headers: { accept: 'application/json' },
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`the chain query answered ${res.status}`);
    const body = (await res.json()) as { anchor?: { merkle_root?: unknown } | null };
    const root = body.anchor?.merkle_root;
    if (typeof root !== 'string') throw new Error('the chain query answered no Merkle root');
    return root;
  };
}
