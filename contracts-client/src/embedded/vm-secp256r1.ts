import { p256 } from '@noble/curves/nist';

/**
 * cosmwasm-vm-js (the VM under cw-simulate 2.8) offers no `secp256r1_verify` import, which
 * CosmWasm 2.1 chains (wasmd on wasmvm ≥ 2.1) give every contract: the contract's wasm, which
 * imports it, would not even link. This adds it, with the same contract as wasmvm's: a 32-byte
 * prehash, a 64-byte raw r ‖ s signature and a SEC1 public key (33 or 65 bytes); the result is 0
 * (valid), 1 (invalid) or an error code (3 hash, 4 signature, 5 public key format, 10 not a
 * point), which the contract treats as a refusal. Verification is @noble/curves' P-256 without
 * a low-S rule, as wasmvm's; the contract enforces low-S itself.
 *
 * The VM builds its import object inside `VMInstance.build` and hands it straight to
 * `WebAssembly.instantiate`, with no hook; so the import is added there, only for import objects
 * that are the CosmWasm VM's (`env.db_read` present, `env.secp256r1_verify` absent). The function
 * reads its arguments from the instance's memory once the instance exists.
 */
export function installSecp256r1Import(): void {
  const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
  if (wasm[MARK]) return;
  wasm[MARK] = true;
  const original = wasm.instantiate.bind(wasm);
  wasm.instantiate = async (source, imports) => {
    const env = imports?.env;
    if (!env || typeof env.db_read !== 'function' || 'secp256r1_verify' in env) {
      return original(source, imports);
    }
    // Filled in once the instance exists (the import is called only from inside it).
    const late: { memory?: { buffer: ArrayBuffer } } = {};
    env.secp256r1_verify = (hashPtr: number, sigPtr: number, keyPtr: number): number => {
      if (!late.memory) throw new Error('secp256r1_verify called before the instance exists');
      const read = regionReader(late.memory);
      return secp256r1Verify(read(hashPtr), read(sigPtr), read(keyPtr));
    };
    const result = await original(source, imports);
    // With a compiled module (what the VM passes) the result is the instance itself.
    const instance = 'instance' in result ? result.instance : result;
    late.memory = instance.exports.memory as { buffer: ArrayBuffer };
    return result;
  };
}

const MARK = Symbol.for('consentome.secp256r1_verify');

/** The slice of the WebAssembly namespace this needs (the package is built without DOM types). */
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmNamespace {
  [MARK]?: true;
  instantiate(
    source: unknown,
    imports?: { env?: Record<string, unknown> },
  ): Promise<WasmInstance | { instance: WasmInstance }>;
}

/** Reads a CosmWasm Region `{ offset, capacity, length }` (u32 LE each) as a byte copy. */
function regionReader(memory: { buffer: ArrayBuffer }): (ptr: number) => Uint8Array {
  return (ptr) => {
    const view = new DataView(memory.buffer);
    const offset = view.getUint32(ptr, true);
    const length = view.getUint32(ptr + 8, true);
    return new Uint8Array(memory.buffer.slice(offset, offset + length));
  };
}

/** wasmvm's semantics for `secp256r1_verify`; exported for its own tests. */
export function secp256r1Verify(
  prehash: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): number {
  if (prehash.length !== 32) return 3;
  if (signature.length !== 64) return 4;
  if (publicKey.length !== 33 && publicKey.length !== 65) return 5;
  try {
    p256.Point.fromBytes(publicKey);
  } catch {
    return 10;
  }
  const ok = p256.verify(signature, prehash, publicKey, {
    prehash: false,
    lowS: false,
    format: 'compact',
  });
  return ok ? 0 : 1;
}
