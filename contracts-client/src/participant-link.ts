import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Hex64 } from './messages.js';

const sha256 = (data: string): Uint8Array =>
  new Uint8Array(createHash('sha256').update(data).digest());

/**
 * What the participant's passkey at the offering site signs: SHA-256 of the canonical JSON the
 * contract rebuilds (`offer_link`). Binds their pseudonym there, a fresh nonce and the one member
 * that may accept.
 */
export function linkOfferChallenge(nonce: Hex64, subject: Hex64, toMember: string): Uint8Array {
  return sha256(canonicalJson({ action: 'offer_link', nonce, subject, to_member: toMember }));
}

/** What their passkey at the accepting site signs (`accept_link`): both pseudonyms and the nonce. */
export function linkAcceptChallenge(nonce: Hex64, fromSubject: Hex64, subject: Hex64): Uint8Array {
  return sha256(
    canonicalJson({ action: 'accept_link', from_subject: fromSubject, nonce, subject }),
  );
}
