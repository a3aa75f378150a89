import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { canonicalJson } from './canonical-json.js';
import type { ConsentItem, Hex64 } from './messages.js';

/**
 * The one encoding of a consent record that a participant signs, shared by the server, both chain
 * adapters and the contract (`canonical.rs` `consent_record_json` writes the same bytes; the
 * contract's `record_digest` query returns them, and a test holds all of them to one digest).
 *
 * record  = RFC 8785 canonical JSON of the payload fields (decision, event_id, evidence, format
 *           when present, scope, subject, time, version); the proof is not part of it
 * digest  = SHA-256(record), lowercase hex
 * signed  = one record: its digest; several records signed by one assertion (one decision that
 *           touches several scopes): SHA-256(canonical JSON array of their digests, in order),
 *           sent with each record as `covers`
 * challenge (WebAuthn) = base64url(signed), unpadded
 */

/** The payload fields only: what the record is, not how it is vouched for. */
export type ConsentRecordFields = Omit<ConsentItem, 'proof'>;

/** The canonical JSON text of a consent record. */
export function consentRecordJson(item: ConsentRecordFields): string {
  return canonicalJson({
    decision: item.decision,
    event_id: item.event_id,
    evidence: item.evidence,
    // Only when present: legacy (format 1) records were signed without it.
    ...(item.format === undefined ? {} : { format: item.format }),
    scope: item.scope,
    subject: item.subject,
    time: item.time,
    version: item.version,
  });
}

const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** SHA-256 of the canonical record JSON, lowercase hex. */
export function consentRecordDigest(item: ConsentRecordFields): Hex64 {
  return sha256(consentRecordJson(item)).toString('hex');
}

/** What one assertion signs for `items` (in order), and the `covers` list to send with each. */
export interface SignedStatement {
  /** The raw 32 bytes the WebAuthn challenge is (base64url-encoded by the browser). */
  challenge: Uint8Array;
  /** Undefined for a single record (the challenge is its own digest). */
  covers: Hex64[] | undefined;
}

/** The statement a participant signs for one decision made of `items`. */
export function signedStatement(items: readonly ConsentRecordFields[]): SignedStatement {
  if (items.length === 0) throw new TypeError('signedStatement: no records');
  const digests = items.map(consentRecordDigest);
  if (digests.length === 1)
    return { challenge: Buffer.from(digests[0]!, 'hex'), covers: undefined };
  return { challenge: sha256(canonicalJson(digests)), covers: digests };
}

/** What a passkey signs to register another key (`publicKey` given) or to remove one. */
export function keyChangeChallenge(
  action: 'register_passkey' | 'remove_passkey',
  subject: Hex64,
  keyId: string,
  publicKey?: string,
): Uint8Array {
  const body =
    publicKey === undefined
      ? { action, key_id: keyId, subject }
      : { action, key_id: keyId, public_key: publicKey, subject };
  return sha256(canonicalJson(body));
}

/**
 * Authenticators return ECDSA signatures with a high S about half the time; the contract accepts
 * only low-S (one encoding per signature, so a signature cannot be re-encoded into a "new" one).
 * (r, n − s) verifies exactly as (r, s), so the relay may normalise before sending. Input and
 * output are base64url DER.
 */
export function normalizeDerSignature(signatureB64url: string): string {
  const sig = p256.Signature.fromBytes(Buffer.from(signatureB64url, 'base64url'), 'der');
  const low = sig.hasHighS() ? sig.normalizeS() : sig;
  return Buffer.from(low.toBytes('der')).toString('base64url');
}
