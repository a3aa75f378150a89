import {
  consentRecordDigest,
  verifySignedRecord,
  type ConsentItem,
  type ConsentLedger,
  type ConsentRecord,
} from '@consentome/contracts-client';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { chainOutbox } from './chain.tables.js';

/** What `consent verify` found for one record of a subject. */
export interface RecordVerdict {
  eventId: string;
  scope: string;
  version: number;
  decision: string;
  /** `signed`: the participant's passkey signature verifies against the key on chain. */
  status: 'signed' | 'signature-invalid' | 'institution' | 'not-on-chain';
  detail: string;
}

const fields = (r: ConsentRecord | ConsentItem) => ({
  event_id: r.event_id,
  subject: r.subject,
  scope: r.scope,
  decision: r.decision,
  version: r.version,
  evidence: r.evidence,
  time: r.time,
});

async function chainHistory(ledger: ConsentLedger, subject: string): Promise<ConsentRecord[]> {
  const all: ConsentRecord[] = [];
  for (;;) {
    const page = await ledger.consentHistory(subject, {
      startAfter: all.at(-1)?.seq,
      limit: 100,
    });
    all.push(...page.consents);
    if (page.consents.length < 100) return all;
  }
}

/**
 * Verifies a subject's consent records as anyone could: the records, the passkeys and the relying
 * party are read from the chain; our database only supplies the assertions the chain does not
 * keep (and names the decisions it never accepted). A participant-signed record passes only if
 * its signature verifies against the key registered on chain.
 */
export async function verifyConsentOnChain(
  db: Database,
  ledger: ConsentLedger,
  subject: string,
): Promise<RecordVerdict[]> {
  const [config, keys, records] = await Promise.all([
    ledger.config(),
    ledger.passkeys(subject),
    chainHistory(ledger, subject),
  ]);
  const rows = await db
    .select()
    .from(chainOutbox)
    .where(and(eq(chainOutbox.kind, 'consent'), sql`${chainOutbox.item}->>'subject' = ${subject}`));
  const sent = new Map(rows.map((r) => [r.eventId, r]));
  const verdicts: RecordVerdict[] = records.map((record) => {
    const base = {
      eventId: record.event_id,
      scope: record.scope,
      version: record.version,
      decision: record.decision,
    };
    if (!record.signed_by) {
      const by = record.attested_by;
      return {
        ...base,
        status: 'institution',
        detail: `recorded by the institution ${by?.writer ?? '(before marks existed)'}${by?.witness ? `, witness ${by.witness}` : ''}`,
      };
    }
    const invalid = (why: string): RecordVerdict => ({
      ...base,
      status: 'signature-invalid',
      detail: why,
    });
    const proof = (sent.get(record.event_id)?.item as ConsentItem | undefined)?.proof;
    if (!proof || !('passkey' in proof)) return invalid('the assertion is not held here');
    const key = keys.passkeys.find((k) => k.key_id === record.signed_by!.key_id);
    if (!key) return invalid(`key ${record.signed_by.key_id} is not on chain for this subject`);
    if (!config.webauthn) return invalid('the contract names no relying party');
    if (consentRecordDigest(fields(record)) !== record.signed_by.record_digest)
      return invalid('the record differs from the digest the chain says was signed');
    const check = verifySignedRecord(
      fields(record),
      proof.passkey.assertion,
      key.public_key,
      config.webauthn,
      proof.passkey.covers,
    );
    return check.ok
      ? { ...base, status: 'signed', detail: `signed by passkey ${key.key_id}` }
      : invalid(check.reason);
  });
  for (const row of rows.filter((r) => r.status === 'failed')) {
    const item = row.item as ConsentItem;
    verdicts.push({
      eventId: row.eventId,
      scope: item.scope,
      version: item.version,
      decision: item.decision,
      status: 'not-on-chain',
      detail: `your decision was not recorded: ${row.lastError ?? 'refused'}`,
    });
  }
  return verdicts;
}
