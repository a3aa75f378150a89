import { createHash } from 'node:crypto';
import {
  canonicalJson,
  RECORD_FORMAT,
  signedStatement,
  type ConsentItem,
  type ConsentRecordFields,
  type Decision,
} from '@consentome/contracts-client';

/**
 * The one factory of the consent records the chain receives (standing preferences, answers to
 * study requests, withdrawal). Records are deterministic in their inputs, event ids included, so
 * the records a participant is asked to sign are exactly the ones the mutation later writes.
 */

/** One decision of a participant: a version of their consent over some scopes. */
export interface ConsentDecision {
  /** Groups event ids by origin (`pref`, `study-decision`). */
  origin: 'pref' | 'study-decision';
  /** The participant's chain pseudonym. */
  subject: string;
  version: number;
  /** Unix seconds as a canonical decimal string (see `chainTime`). */
  time: string;
  /** The off-chain facts the evidence digest commits to (canonical JSON, SHA-256). */
  evidence: unknown;
  decisions: readonly { scope: string; decision: Decision }[];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A time for a new record: unix seconds now. */
export function chainTime(now: Date = new Date()): string {
  return String(Math.floor(now.getTime() / 1000));
}

/** The records of one decision, in scope order as given. */
export function consentRecords(d: ConsentDecision): ConsentRecordFields[] {
  const evidence = sha256(canonicalJson(d.evidence));
  return d.decisions.map(({ scope, decision }) => ({
    // Unique per (subject, scope, version): versions only grow, so an id is never reused.
    event_id: `${d.origin}:${sha256(canonicalJson([d.subject, scope, d.version])).slice(0, 40)}`,
    subject: d.subject,
    scope,
    decision,
    version: d.version,
    format: RECORD_FORMAT,
    evidence,
    time: d.time,
  }));
}

/** The challenge (base64url) a participant's passkey signs for these records. */
export function consentChallenge(records: readonly ConsentRecordFields[]): string {
  return Buffer.from(signedStatement(records).challenge).toString('base64url');
}

/** A verified assertion, in the contract's form. */
export interface ContractAssertion {
  key_id: string;
  authenticator_data: string;
  client_data_json: string;
  signature: string;
}

/** The records with the participant's signature attached (one assertion covers them all). */
export function signedRecords(
  records: readonly ConsentRecordFields[],
  assertion: ContractAssertion,
): ConsentItem[] {
  const { covers } = signedStatement(records);
  return records.map((r) => ({
    ...r,
    proof: { passkey: covers ? { assertion, covers } : { assertion } },
  }));
}
