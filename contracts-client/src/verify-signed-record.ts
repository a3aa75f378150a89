import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { canonicalJson } from './canonical-json.js';
import { consentRecordDigest, type ConsentRecordFields } from './consent-record.js';
import type { Assertion, WebAuthnConfig } from './messages.js';

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/** Whether a participant's signature holds, and why not. */
export type SignatureCheck = { ok: true; counter: number } | { ok: false; reason: string };

/**
 * Verifies, off chain, what the contract verified on chain: that `assertion` is a WebAuthn
 * signature by `publicKeyHex` (SEC1, as the chain's `passkeys` query returns it) over this record
 * (alone, or among `covers`), for the relying party `rp`, with the user present and a strict
 * low-S DER signature. Anyone holding the record, the assertion and the key read from the chain
 * can run it; it trusts neither the API nor its database.
 */
export function verifySignedRecord(
  record: ConsentRecordFields,
  assertion: Assertion,
  publicKeyHex: string,
  rp: WebAuthnConfig,
  covers?: readonly string[],
): SignatureCheck {
  const fail = (reason: string): SignatureCheck => ({ ok: false, reason });
  const digest = consentRecordDigest(record);
  let challenge: Buffer;
  if (covers) {
    if (!covers.includes(digest)) return fail('covers does not include this record');
    challenge = sha256(canonicalJson([...covers]));
  } else challenge = Buffer.from(digest, 'hex');
  const authData = Buffer.from(assertion.authenticator_data, 'base64url');
  const clientData = Buffer.from(assertion.client_data_json, 'base64url');
  let client: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
  try {
    client = JSON.parse(clientData.toString('utf8')) as typeof client;
  } catch {
    return fail('clientDataJSON is not JSON');
  }
  if (client.type !== 'webauthn.get') return fail('clientDataJSON type is not webauthn.get');
  if (client.challenge !== challenge.toString('base64url'))
    return fail('the challenge is not the digest of this record');
  if (client.origin !== rp.origin) return fail(`the origin is not ${rp.origin}`);
  if (client.crossOrigin === true) return fail('a cross-origin assertion');
  if (authData.length < 37) return fail('authenticatorData is too short');
  if (!authData.subarray(0, 32).equals(sha256(rp.rp_id))) return fail('another RP id');
  if ((authData[32]! & 0x01) === 0) return fail('the user-presence flag is not set');
  let sig;
  try {
    sig = p256.Signature.fromBytes(Buffer.from(assertion.signature, 'base64url'), 'der');
  } catch {
    return fail('the signature is not DER');
  }
  if (sig.hasHighS()) return fail('the signature has a high S');
  const prehash = sha256(Buffer.concat([authData, sha256(clientData)]));
  const valid = p256.verify(sig.toBytes('compact'), prehash, Buffer.from(publicKeyHex, 'hex'), {
    prehash: false,
    lowS: true,
    format: 'compact',
  });
  if (!valid) return fail('the signature does not verify with the key on chain');
  return { ok: true, counter: authData.readUInt32BE(33) };
}
