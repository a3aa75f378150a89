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

/** The scopes a full withdrawal denies (consent.service `denyAllConsent`). */
const WITHDRAWAL_SCOPES = [...CONSENT_SCOPES.map((s) => `purpose:${s}`), 'discovery', 'recontact'];

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

/** How many linked participants' chain reads run at once (each is a few RPC round trips). */
export const LINKED_READ_CONCURRENCY = 8;

/** What the chain says changed for one linked participant, read before anything is written. */
interface LinkedChange {
  participantId: string;
  subject: string;
  decisions: LinkedDecision[];
  /** The members whose decisions are applied (the witness). */
  from: Set<string>;
  /** The newest seq seen among the other pseudonyms' records. */
  newest: number;
  withdrawal: boolean;
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
 * The chain is read first for all linked participants, `concurrency` at a time
 * (the reads of one pass were sequential before: one round trip after another per participant,
 * which a real node makes the cost of every read of the cohort index), then the changes are
 * written one participant per transaction.
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
  concurrency = LINKED_READ_CONCURRENCY,
): Promise<number> {
  const linked = await db
    .select({
      participantId: participantSiteLinks.participantId,
      appliedSeq: sql<number>`min(${participantSiteLinks.appliedSeq})`.mapWith(Number),
    })
    .from(participantSiteLinks)
    .groupBy(participantSiteLinks.participantId);
  const changes = await mapBounded(linked, concurrency, (row) =>
    readLinkedChange(db, ledger, row.participantId, row.appliedSeq),
  );
  let changed = 0;
  for (const change of changes) {
    if (!change) continue;
    await db.transaction(async (tx) => {
      // A decision made here while the chain was being read: the chain's order decides later.
      if (await hasPendingConsent(tx, change.subject)) return;
      const witness = `linked-site:${[...change.from].sort().join('.') || 'none'}`;
      if (
        change.decisions.length > 0 &&
        (await applyLinkedDecisions(
          tx,
          systemActor('linked-sites'),
          change.participantId,
          change.decisions,
          witness,
        ))
      )
        changed += 1;
      if (change.withdrawal) await withdrawHere(tx, change.participantId);
      await tx
        .update(participantSiteLinks)
        .set({ appliedSeq: change.newest })
        .where(eq(participantSiteLinks.participantId, change.participantId));
    });
  }
  return changed;
}

/** Reads (never writes) what the chain holds for one linked participant since `appliedSeq`. */
async function readLinkedChange(
  db: Database,
  ledger: LinkedDecisionsLedger,
  participantId: string,
  appliedSeq: number,
): Promise<LinkedChange | null> {
  // Read, never create: an erased participant has no chain key, and must not get a new one.
  const [key] = await db
    .select({ secret: participantChainKeys.secret })
    .from(participantChainKeys)
    .where(eq(participantChainKeys.participantId, participantId));
  if (!key) return null;
  const subject = subjectOf(key.secret, participantId);
  // A decision made here and still in the outbox is newer than what the chain shows for the
  // group: applying the group's latest now could overwrite it (a permit elsewhere undoing a
  // deny here). Wait until it lands; the chain's order then decides, as at every site.
  if (await hasPendingConsent(db, subject)) return null;
  const group = await ledger.linkGroup(subject);
  if (!group) return null; // offered here, not accepted yet
  const others = group.subjects.filter((s) => s.subject !== subject);
  const fresh = (
    await Promise.all(others.map((o) => recordsAfter(ledger, o.subject, appliedSeq)))
  ).flat();
  if (fresh.length === 0) return null;
  // One query per scope, for the scopes the fresh records touch and those a withdrawal denies.
  const touched = new Set(fresh.map((r) => r.scope));
  const scopes = [...new Set([...touched, ...WITHDRAWAL_SCOPES])];
  const latest = new Map(
    await Promise.all(
      scopes.map(async (scope) => [scope, await ledger.linkedConsent(subject, scope)] as const),
    ),
  );
  const decisions: LinkedDecision[] = [];
  const from = new Set<string>();
  for (const scope of touched) {
    const last = latest.get(scope);
    if (!last || last.subject === subject) continue;
    decisions.push({ scope, decision: last.decision });
    from.add(group.subjects.find((s) => s.subject === last.subject)?.member ?? 'unknown');
  }
  // Withdrawn elsewhere: the latest decisions across the group deny all a withdrawal denies.
  const withdrawal = WITHDRAWAL_SCOPES.every((scope) => {
    const last = latest.get(scope);
    return (
      last !== null && last !== undefined && last.subject !== subject && last.decision === 'deny'
    );
  });
  return {
    participantId,
    subject,
    decisions,
    from,
    newest: Math.max(...fresh.map((r) => r.seq)),
    withdrawal,
  };
}

/** `items.map(fn)` with at most `limit` calls under way at once, in the items' order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (error) {
        failed = true; // the others stop taking items; the pass fails once they have settled
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
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
