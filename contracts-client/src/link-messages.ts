/**
 * Wire types of participant links (federation): one participant's pseudonyms at several member
 * sites, joined by their own passkey at each end. Field names are the contract's snake_case
 * JSON. See contracts/consent-ledger/src/links.rs for the rules.
 */
import type { Assertion, ConsentRecord, Hex64 } from './messages.js';

export type LinkExecuteMsg =
  | {
      offer_link: { subject: Hex64; nonce: Hex64; to_member: string; assertion: Assertion };
    }
  | { accept_link: { nonce: Hex64; subject: Hex64; assertion: Assertion } };

export type LinkQueryMsg =
  | { link_offer: { nonce: Hex64 } }
  | { link_group: { subject: Hex64 } }
  | { linked_consent: { subject: Hex64; scope: string } };

/** An offer signed at `from_member`, acceptable once, by `to_member`, until `expires_height`. */
export interface LinkOffer {
  nonce: Hex64;
  subject: Hex64;
  from_member: string;
  to_member: string;
  height: number;
  expires_height: number;
  accepted?: { subject: Hex64; height: number; group: number };
}

/** One participant's pseudonyms, at most one per member. */
export interface LinkGroup {
  id: number;
  subjects: { subject: Hex64; member: string; height: number }[];
}

export interface LinkedConsentResponse {
  /** The scope's newest record (highest `seq`) across the link group, or null. */
  record: ConsentRecord | null;
}
