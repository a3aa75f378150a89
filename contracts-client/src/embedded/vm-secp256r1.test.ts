import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { describe, expect, it } from 'vitest';
import { secp256r1Verify } from './vm-secp256r1.js';

describe('secp256r1_verify for the embedded chain (wasmvm semantics)', () => {
  const secret = p256.utils.randomSecretKey();
  const uncompressed = p256.getPublicKey(secret, false);
  const compressed = p256.getPublicKey(secret, true);
  const prehash = createHash('sha256').update('message').digest();
  const sig = p256.sign(prehash, secret, { prehash: false }).toBytes('compact');

  it('answers 0 for a valid signature (either key form) and 1 for an invalid one', () => {
    expect(secp256r1Verify(prehash, sig, uncompressed)).toBe(0);
    expect(secp256r1Verify(prehash, sig, compressed)).toBe(0);
    const other = createHash('sha256').update('other').digest();
    expect(secp256r1Verify(other, sig, uncompressed)).toBe(1);
  });

  it('answers error codes for malformed input, as wasmvm does', () => {
    expect(secp256r1Verify(prehash.subarray(0, 31), sig, uncompressed)).toBe(3);
    expect(secp256r1Verify(prehash, sig.subarray(0, 63), uncompressed)).toBe(4);
    expect(secp256r1Verify(prehash, sig, uncompressed.subarray(0, 64))).toBe(5);
    const notAPoint = new Uint8Array(65).fill(7);
    notAPoint[0] = 4;
    expect(secp256r1Verify(prehash, sig, notAPoint)).toBe(10);
  });
});
