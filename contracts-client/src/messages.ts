/**
 * The consent-ledger contract's JSON, typed: the one source of truth for the server and this
 * package. Field names are the contract's (snake_case); see
 * contracts/consent-ledger/README.md and src/msg.rs. The contract rejects unknown fields, so these
 * types list exactly what it accepts.
 */

import type { LinkExecuteMsg, LinkQueryMsg } from './link-messages.js';
import type { MembershipExecuteMsg, MembershipQueryMsg } from './membership-messages.js';

/** The contract refuses batches (`record_consents`, `record_grants`) of more items than this. */
export const MAX_BATCH_ITEMS = 500;

/** Page size limits of `consent_history` and `anchors` (default 20, maximum 100). */
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** 64 lowercase hex characters (a SHA-256 / HMAC-SHA256 value). */
export type Hex64 = string;

/** `ask`: "ask me about each study" (record format 2, purposes only). */
export type Decision = 'permit' | 'deny' | 'ask';

/**
 * The consent record format the contract validates. Format 2: scopes `purpose:<GRU|HMB|DS|POA|
 * METHODS|COMMERCIAL>` or `purpose:DS:<MONDO id>` (permit, deny or ask), `discovery`,
 * `recontact` and `ask_each_time` (permit or deny: on or off), `study:<id>` (permit or deny). A record without `format` is the
 * legacy format 1 (any scope, permit or deny).
 */
export const RECORD_FORMAT = 2;

export interface InstantiateMsg {
  admin: string;
  writers?: string[];
  /** The relying party whose WebAuthn assertions the contract accepts (`set_webauthn` later). */
  webauthn?: WebAuthnConfig;
}

/** The exact origin in clientDataJSON and the RP id whose SHA-256 starts authenticatorData. */
export interface WebAuthnConfig {
  origin: string;
  rp_id: string;
}

/** A WebAuthn assertion; binary fields are unpadded base64url, as the browser returns them. */
export interface Assertion {
  /** Credential id (base64url) of a passkey registered for the subject. */
  key_id: string;
  authenticator_data: string;
  client_data_json: string;
  /** Strict ASN.1 DER ECDSA signature with a low S (see `normalizeDerSignature`). */
  signature: string;
}

/**
 * How a consent item is vouched for. Without a proof the writer records it (institution-attested,
 * no witness). `covers`: the record digests one assertion signs together, in order (see
 * consent-record.ts); omitted when it signs this record alone.
 */
export type ConsentProof =
  { passkey: { assertion: Assertion; covers?: Hex64[] } } | { institution: { witness: string } };

/** How a passkey registration or removal is vouched for. */
export type KeyProof = { passkey: Assertion } | { institution: { witness: string } };

export interface ConsentItem {
  /** 1..=128 chars of `[A-Za-z0-9:_.-]`; unique across consents and grants. */
  event_id: string;
  /** HMAC-SHA256 pseudonym of the participant. */
  subject: Hex64;
  scope: string;
  decision: Decision;
  /** Strictly greater than the stored version for the same (subject, scope). */
  version: number;
  /** `RECORD_FORMAT`, or absent for the legacy format 1; part of the signed record. */
  format?: typeof RECORD_FORMAT;
  /** SHA-256 of the off-chain evidence. */
  evidence: Hex64;
  /** RFC 3339 or unix seconds as a canonical decimal string. */
  time: string;
  proof?: ConsentProof;
}

export interface AnchorAuditMsg {
  /** Starts at 1, consecutive. */
  batch: number;
  merkle_root: Hex64;
  first_seq: number;
  last_seq: number;
  /** Must equal `last_seq - first_seq + 1`. */
  count: number;
}

export interface GrantItem {
  event_id: string;
  grant_id: string;
  study_id: string;
  /** Merkle root of the cohort's pseudonyms. */
  cohort_root: Hex64;
  /** Unix seconds, as a number or a canonical decimal string (the same payload). */
  expiry: number | string;
}

/** A passkey registration or removal, as the relay sends it. */
export type PasskeyChangeMsg =
  | { register_passkey: { subject: Hex64; key_id: string; public_key: string; proof: KeyProof } }
  | { remove_passkey: { subject: Hex64; key_id: string; proof: KeyProof } };

export type ExecuteMsg =
  | { add_writer: { address: string } }
  | { remove_writer: { address: string } }
  | { record_consents: { items: ConsentItem[] } }
  | { anchor_audit: AnchorAuditMsg }
  | { record_grants: { items: GrantItem[] } }
  | { set_webauthn: WebAuthnConfig }
  | { set_site_webauthn: WebAuthnConfig }
  | PasskeyChangeMsg
  | MembershipExecuteMsg
  | LinkExecuteMsg;

export type QueryMsg =
  | { config: Record<string, never> }
  | { consent: { subject: Hex64; scope: string } }
  | { consent_history: { subject: Hex64; start_after?: number; limit?: number } }
  | { anchor: { writer: string; batch: number } }
  | { anchors: { writer: string; start_after?: number; limit?: number } }
  | { grant: { grant_id: string } }
  | { event: { event_id: string } }
  | { head: Record<string, never> }
  | { record_digest: { item: ConsentItem } }
  | { passkeys: { subject: Hex64 } }
  | { site_webauthn: { writer: string } }
  | MembershipQueryMsg
  | LinkQueryMsg;

/** Block time as nanoseconds since the unix epoch, in a decimal string (beyond 2^53). */
export type NanosString = string;

export interface ConsentRecord {
  /** 1-based position among all consents of this contract. */
  seq: number;
  event_id: string;
  subject: Hex64;
  scope: string;
  decision: Decision;
  version: number;
  /** Absent on legacy (format 1) records. */
  format?: number;
  evidence: Hex64;
  time: string;
  block_height: number;
  block_time: NanosString;
  /** Signed by the participant's passkey (exactly one of signed_by / attested_by is set on
   * records stored since signing exists). */
  signed_by?: SignedBy;
  /** Recorded by the institution (the writer) for the participant. */
  attested_by?: AttestedBy;
}

export interface SignedBy {
  key_id: string;
  counter: number;
  /** SHA-256 of the canonical record JSON (consentRecordDigest). */
  record_digest: Hex64;
}

export interface AttestedBy {
  writer: string;
  witness?: string;
}

/** A passkey as the chain knows it. */
export interface PasskeyRecord {
  subject: Hex64;
  key_id: string;
  /** SEC1 P-256 public key, lowercase hex. */
  public_key: string;
  counter: number;
  last_assertion: string;
  /** "institution" or "passkey:<key_id>". */
  added_by: string;
  witness?: string;
  added_height: number;
  removed?: { height: number; by: string; witness?: string };
  /** The writer (site) that registered it: its RP checks the key's assertions, if it set one. */
  writer?: string;
}

export interface PasskeysResponse {
  passkeys: PasskeyRecord[];
}

export interface RecordDigestResponse {
  record: string;
  digest: Hex64;
}

export interface AnchorRecord {
  /** The writer (member institution) whose audit trail the batch seals; each has its own 1, 2, … */
  writer: string;
  batch: number;
  merkle_root: Hex64;
  first_seq: number;
  last_seq: number;
  count: number;
  block_height: number;
  block_time: NanosString;
}

export interface GrantRecord {
  seq: number;
  event_id: string;
  grant_id: string;
  study_id: string;
  cohort_root: Hex64;
  /** Always a number once stored, whatever form was sent. */
  expiry: number;
  block_height: number;
  block_time: NanosString;
}

export interface ConfigResponse {
  admin: string;
  writers: string[];
  webauthn?: WebAuthnConfig;
}

export interface ConsentHistoryResponse {
  consents: ConsentRecord[];
}

export interface AnchorsResponse {
  anchors: AnchorRecord[];
  /** How many batches the writer has anchored in all. */
  total: number;
}

export type EventKind = 'consent' | 'grant';

/** Index entry of an event id: the kind and seq it recorded and the digest of its canonical bytes. */
export interface EventRef {
  kind: EventKind;
  seq: number;
  digest: Hex64;
}

export interface HeadResponse {
  /** Running head hash (see `head-hash.ts`); 64 zeros before anything is stored. */
  head: Hex64;
  consents: number;
  anchors: number;
  grants: number;
}

/** Per item of a record_* / anchor_audit message: the seq it has, and whether it was a replay. */
export interface ItemResult {
  /** Event id (record_*) or the batch number as a string (anchor_audit). */
  id: string;
  seq: number;
  replayed: boolean;
}

/** `Response.data` (base64 JSON) of record_consents, record_grants and anchor_audit. */
export interface ExecuteSummary {
  head: Hex64;
  new: number;
  replayed: number;
  items: ItemResult[];
}

/** The head hash before anything is stored. */
export const ZERO_HEAD: Hex64 = '0'.repeat(64);
