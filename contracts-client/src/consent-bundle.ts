import { consentRecordDigest, type ConsentRecordFields } from './consent-record.js';
import type {
  Assertion,
  AttestedBy,
  ConsentRecord,
  PasskeyRecord,
  SignedBy,
  WebAuthnConfig,
} from './messages.js';
import { verifySignedRecord } from './verify-signed-record.js';

/** The format tag of a downloaded bundle; a reader refuses any other. */
export const CONSENT_BUNDLE_FORMAT = 'consentome-signed-consent/1';

/** One consent record as the chain holds it, with the signature the chain checked. */
export interface BundledRecord {
  record: ConsentRecordFields & { block_height: number; block_time: string };
  signed_by?: SignedBy;
  attested_by?: AttestedBy;
  /** The participant's WebAuthn assertion, when signed (the chain checks it but does not keep it). */
  assertion?: Assertion;
  /** The record digests one assertion signed together (a withdrawal or a multi-scope change). */
  covers?: string[];
}

/**
 * A participant's signed consent records, downloadable and checkable offline: the records and keys
 * as the chain returned them, the relying party the contract verifies against, and the
 * assertions. Nothing in it is personal data: the subject is the chain pseudonym.
 */
export interface ConsentBundle {
  format: typeof CONSENT_BUNDLE_FORMAT;
  subject: string;
  chain: { chainId: string; contract: string; height: number };
  relyingParty: WebAuthnConfig | null;
  passkeys: PasskeyRecord[];
  records: BundledRecord[];
}

/** One record's verdict from `verifyConsentBundle`. */
export interface BundleVerdict {
  eventId: string;
  scope: string;
  version: number;
  decision: string;
  status: 'signed' | 'signature-invalid' | 'institution';
  detail: string;
}

/** The fields a record digest covers, picked from a chain record. */
export function recordFields(r: ConsentRecordFields | ConsentRecord): ConsentRecordFields {
  return {
    event_id: r.event_id,
    subject: r.subject,
    scope: r.scope,
    decision: r.decision,
    version: r.version,
    ...(r.format === undefined ? {} : { format: r.format as ConsentRecordFields['format'] }),
    evidence: r.evidence,
    time: r.time,
  };
}

/**
 * Checks every record of a bundle without a network or our API: each participant-signed record's
 * digest, and its WebAuthn signature against the bundle's key for it, for the bundle's relying
 * party. Institution-recorded records are listed as such. A bundle of another format is refused.
 * (This checks the bundle is self-consistent; that its keys and records are the chain's is
 * checked by comparing them with a chain query, as `consentome consent verify` does.)
 */
export function verifyConsentBundle(bundle: ConsentBundle): BundleVerdict[] {
  if (bundle?.format !== CONSENT_BUNDLE_FORMAT)
    throw new Error(`not a signed-consent bundle (format ${String(bundle?.format)})`);
  return bundle.records.map((entry) => {
    const fields = recordFields(entry.record);
    const base = {
      eventId: fields.event_id,
      scope: fields.scope,
      version: fields.version,
      decision: fields.decision,
    };
    if (!entry.signed_by) {
      const by = entry.attested_by;
      return {
        ...base,
        status: 'institution' as const,
        detail: `recorded by the institution ${by?.writer ?? '(before marks existed)'}${by?.witness ? `, witness ${by.witness}` : ''}`,
      };
    }
    const invalid = (detail: string): BundleVerdict => ({
      ...base,
      status: 'signature-invalid',
      detail,
    });
    if (consentRecordDigest(fields) !== entry.signed_by.record_digest)
      return invalid('the record differs from the digest that was signed');
    if (!entry.assertion) return invalid('the bundle holds no assertion for this record');
    const key = bundle.passkeys.find((k) => k.key_id === entry.signed_by!.key_id);
    if (!key) return invalid(`key ${entry.signed_by.key_id} is not in the bundle`);
    if (!bundle.relyingParty) return invalid('the bundle names no relying party');
    const check = verifySignedRecord(
      fields,
      entry.assertion,
      key.public_key,
      bundle.relyingParty,
      entry.covers,
    );
    return check.ok
      ? { ...base, status: 'signed', detail: `signed by passkey ${key.key_id}` }
      : invalid(check.reason);
  });
}
