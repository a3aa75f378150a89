import {
  CONSENT_BUNDLE_FORMAT,
  recordFields,
  verifyConsentBundle,
  type ConsentBundle,
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

/** The consent items this database sent to the chain for a subject, by event id. */
async function sentItems(db: Database, subject: string) {
  return db
    .select()
    .from(chainOutbox)
    .where(and(eq(chainOutbox.kind, 'consent'), sql`${chainOutbox.item}->>'subject' = ${subject}`));
}

/**
 * A subject's signed-consent bundle: the records, passkeys and relying party read from the chain,
 * with the assertions our database kept (the chain checks them but does not store them). What a
 * participant downloads to check offline (`verifyConsentBundle`, `consentome consent
 * verify-file`).
 */
export async function signedConsentBundle(
  db: Database,
  ledger: ConsentLedger,
  subject: string,
): Promise<ConsentBundle> {
  const [config, keys, records, chainId, height, rows] = await Promise.all([
    ledger.config(),
    ledger.passkeys(subject),
    chainHistory(ledger, subject),
    ledger.getChainId(),
    ledger.height(),
    sentItems(db, subject),
  ]);
  const sent = new Map(rows.map((r) => [r.eventId, r.item as ConsentItem]));
  return {
    format: CONSENT_BUNDLE_FORMAT,
    subject,
    chain: { chainId, contract: ledger.contractAddress, height },
    relyingParty: config.webauthn ?? null,
    passkeys: keys.passkeys,
    records: records.map((record) => {
      const proof = sent.get(record.event_id)?.proof;
      const signed = record.signed_by && proof && 'passkey' in proof ? proof.passkey : undefined;
      return {
        record: {
          ...recordFields(record),
          block_height: record.block_height,
          block_time: record.block_time,
        },
        ...(record.signed_by ? { signed_by: record.signed_by } : {}),
        ...(record.attested_by ? { attested_by: record.attested_by } : {}),
        ...(signed ? { assertion: signed.assertion } : {}),
        ...(signed?.covers ? { covers: signed.covers } : {}),
      };
    }),
  };
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
  const bundle = await signedConsentBundle(db, ledger, subject);
  const verdicts: RecordVerdict[] = verifyConsentBundle(bundle).map((v) =>
    v.status === 'signature-invalid' && /no assertion/.test(v.detail)
      ? { ...v, detail: 'the assertion is not held here' }
      : v.status === 'signature-invalid' && /not in the bundle/.test(v.detail)
        ? {
            ...v,
            detail: v.detail.replace('is not in the bundle', 'is not on chain for this subject'),
          }
        : v,
  );
  for (const row of (await sentItems(db, subject)).filter((r) => r.status === 'failed')) {
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
