import type { ConsentRecord, SigningConsentLedger } from '@consentome/contracts-client';
import { eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { systemActor } from '../actors/actor.js';
import { participantChainKeys } from '../chain/chain.tables.js';
import { hasPendingConsent } from '../chain/pending-consent.js';
import { subjectOf } from '../chain/subject-pseudonym.js';
import { applyLinkedDecisions, type LinkedDecision } from '../consent/consent.service.js';
import { CONSENT_SCOPES } from '../consent/preferences.js';
import { tellGranteesParticipantLeft } from '../grants/grants.service.js';
import { participants } from '../participants/participants.tables.js';
import { markParticipantWithdrawn } from '../participants/participants.service.js';
import { closeParticipantRequests } from '../studies/consent-requests.service.js';
import { participantSiteLinks } from './participant-links.tables.js';

/** What reading linked decisions needs of the chain. */
export type LinkedDecisionsLedger = Pick<
  SigningConsentLedger,
  'linkGroup' | 'linkedConsent' | 'consentHistory'
>;

const PAGE = 100;

/** The records a linked pseudonym got on chain after `seq`, oldest first. */
async function recordsAfter(
  ledger: LinkedDecisionsLedger,
  subject: string,
  seq: number,
): Promise<ConsentRecord[]> {
  const out: ConsentRecord[] = [];
  let after = seq;
  for (;;) {
    const { consents } = await ledger.consentHistory(subject, { startAfter: after, limit: PAGE });
    out.push(...consents);
    if (consents.length < PAGE) return out;
    after = consents[consents.length - 1]!.seq;
  }
}

/**
 * Applies here the latest decisions participants signed at the sites their record is linked
 * with: for every linked participant, the chain records of their other pseudonyms that this site
 * has not applied yet; for each scope they touch, the contract's latest decision across the link
 * group (`linked_consent`); when that one was made elsewhere, it becomes a new preference
 * version here (consent service, audited, on chain under this site's pseudonym). Called before
 * this site counts, asks, grants or exports, so a withdrawal signed at another site, however
 * recent, is honoured here. Returns how many participants changed.
 *
 * A full withdrawal signed elsewhere (every purpose, discovery and recontact denied, as
 * withdrawal records them) is a withdrawal here too: the record is marked withdrawn, the
 * participant's open study requests close and grantees that received their data are told, as
 * when they withdraw here (participation/withdraw-participant.service.ts).
 *
 * A participant with a decision made here and not yet on chain is skipped until it lands (the
 * chain's order decides between sites, and that decision is not in it yet).
 *
 * Limits: scopes with no counterpart here (a disease choice, another site's study) are not
 * applied; a chain outage makes the caller's read fail (nothing is counted on stale consent).
 */
export async function applyLatestLinkedDecisions(
  db: Database,
  ledger: LinkedDecisionsLedger,
): Promise<number> {
  const linked = await db
    .select({
      participantId: participantSiteLinks.participantId,
      appliedSeq: sql<number>`min(${participantSiteLinks.appliedSeq})`.mapWith(Number),
    })
    .from(participantSiteLinks)
    .groupBy(participantSiteLinks.participantId);
  let changed = 0;
  for (const { participantId, appliedSeq } of linked) {
    // Read, never create: an erased participant has no chain key, and must not get a new one.
    const [key] = await db
      .select({ secret: participantChainKeys.secret })
      .from(participantChainKeys)
      .where(eq(participantChainKeys.participantId, participantId));
    if (!key) continue;
    const subject = subjectOf(key.secret, participantId);
    // A decision made here and still in the outbox is newer than what the chain shows for the
    // group: applying the group's latest now could overwrite it (a permit elsewhere undoing a
    // deny here). Wait until it lands; the chain's order then decides, as at every site.
    if (await hasPendingConsent(db, subject)) continue;
    const group = await ledger.linkGroup(subject);
    if (!group) continue; // offered here, not accepted yet
    const others = group.subjects.filter((s) => s.subject !== subject);
    const fresh = (
      await Promise.all(others.map((o) => recordsAfter(ledger, o.subject, appliedSeq)))
    ).flat();
    if (fresh.length === 0) continue;
    const decisions: LinkedDecision[] = [];
    const from = new Set<string>();
    for (const scope of new Set(fresh.map((r) => r.scope))) {
      const latest = await ledger.linkedConsent(subject, scope);
      if (!latest || latest.subject === subject) continue;
      decisions.push({ scope, decision: latest.decision });
      from.add(group.subjects.find((s) => s.subject === latest.subject)?.member ?? 'unknown');
    }
    const newest = Math.max(...fresh.map((r) => r.seq));
    const withdrawal = await withdrawnElsewhere(ledger, subject);
    await db.transaction(async (tx) => {
      const witness = `linked-site:${[...from].sort().join('.') || 'none'}`;
      if (
        decisions.length > 0 &&
        (await applyLinkedDecisions(
          tx,
          systemActor('linked-sites'),
          participantId,
          decisions,
          witness,
        ))
      )
        changed += 1;
      if (withdrawal) await withdrawHere(tx, participantId);
      await tx
        .update(participantSiteLinks)
        .set({ appliedSeq: newest })
        .where(eq(participantSiteLinks.participantId, participantId));
    });
  }
  return changed;
}

/** The scopes a full withdrawal denies (consent.service `denyAllConsent`). */
const WITHDRAWAL_SCOPES = [...CONSENT_SCOPES.map((s) => `purpose:${s}`), 'discovery', 'recontact'];

/** Whether the latest decisions across the link group deny everything a withdrawal denies. */
async function withdrawnElsewhere(ledger: LinkedDecisionsLedger, subject: string) {
  for (const scope of WITHDRAWAL_SCOPES) {
    const latest = await ledger.linkedConsent(subject, scope);
    if (!latest || latest.subject === subject || latest.decision !== 'deny') return false;
  }
  return true;
}

/** The rest of a withdrawal, once: record, open requests, grantees (consent is already denied). */
async function withdrawHere(tx: Tx, participantId: string): Promise<void> {
  const [row] = await tx
    .select({ status: participants.status })
    .from(participants)
    .where(eq(participants.id, participantId));
  if (!row || row.status === 'withdrawn') return;
  await markParticipantWithdrawn(tx, participantId, new Date());
  await closeParticipantRequests(tx, participantId);
  await tellGranteesParticipantLeft(tx, participantId);
}
