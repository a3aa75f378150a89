import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor, UserActor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import type { KnownAuditAction } from '../audit/audit-actions.js';
import { enqueueConsentRecord } from '../chain/outbox.service.js';
import { preferenceVersionsOnChain, type ChainRecordStatus } from '../chain/record-status.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { participants } from '../participants/participants.tables.js';
import { setParticipantDiscoverable } from '../participants/participants.service.js';
import { vouchedRecords, type ConsentSigning } from '../passkeys/signed-consent.js';
import type { Decision } from '@consentome/contracts-client';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { consentPreferences } from './consent.tables.js';
import { startingPoints, type StartingPoint } from './starting-point.js';
import {
  CONSENT_SCOPES,
  ConsentPreferencesSchema,
  DEFAULT_PREFERENCES,
  type ConsentPreferences,
  type DiseaseChoice,
} from './preferences.js';

/** One version of a participant's preferences. */
export interface PreferenceVersion extends ConsentPreferences {
  version: number;
  createdAt: Date | null;
  /** Credential id of the passkey that signed it; null: recorded by the institution. */
  signedWith?: string | null;
  /** Where its chain records are (absent: none were needed, or not asked). */
  chain?: ChainRecordStatus;
}

type ParticipantRow = typeof participants.$inferSelect;

/** The participant record of the signed-in participant; anyone else has none ("not found"). */
async function ownParticipant(
  tx: Tx,
  actor: Actor | null,
): Promise<{ actor: UserActor; participant: ParticipantRow }> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  return { actor: actor as UserActor, participant };
}

function toVersion(row: typeof consentPreferences.$inferSelect): PreferenceVersion {
  return {
    version: row.version,
    purposes: row.purposes as ConsentPreferences['purposes'],
    diseases: (row.diseases as DiseaseChoice[] | null) ?? [],
    askEachTime: row.askEachTime,
    discoverable: row.discoverable,
    recontact: row.recontact,
    createdAt: row.createdAt,
    signedWith: row.signedWith,
  };
}

/** Every version of a participant's preferences, newest first (none: the defaults as version 0). */
export async function preferenceHistory(
  tx: Tx,
  participantId: string,
): Promise<PreferenceVersion[]> {
  const rows = await tx
    .select()
    .from(consentPreferences)
    .where(eq(consentPreferences.participantId, participantId))
    .orderBy(desc(consentPreferences.version));
  return rows.length
    ? rows.map(toVersion)
    : [{ ...DEFAULT_PREFERENCES, version: 0, createdAt: null }];
}

/** What `getMyConsent` answers. */
export interface MyConsent {
  current: PreferenceVersion;
  history: PreferenceVersion[];
  /**
   * The consent they gave at collection, per dataset holding their data: it governs them until
   * they state their own choices (`statedOwn`), which then always win.
   */
  startingPoints: StartingPoint[];
  statedOwn: boolean;
}

/**
 * The signed-in participant's current preferences, their history and their starting point (the
 * consent given at collection); the read is audited.
 */
export async function getMyConsent(tx: Tx, actor: Actor | null): Promise<MyConsent> {
  const { participant } = await ownParticipant(tx, actor);
  const onChain = await preferenceVersionsOnChain(tx, participant.id);
  const history = (await preferenceHistory(tx, participant.id)).map((v) => {
    const chain = onChain.get(v.version);
    return chain ? { ...v, chain } : v;
  });
  await appendParticipantEvent(tx, actor, 'consent.read', participant.id);
  return {
    current: history[0]!,
    history,
    startingPoints: await startingPoints(tx, participant.id),
    statedOwn: history[0]!.version > 0,
  };
}

/** A disease's chain scope: `purpose:DS:MONDO_0005084` (the contract's grammar has no colon in the id). */
export const diseaseChainScope = (id: string) => `purpose:DS:${id.replace(':', '_')}`;

/**
 * What goes on chain for a new version: one decision per scope that changed (all of them on the
 * first version), under the participant's pseudonymous subject, in record format 2: each purpose
 * as the participant answered it (`ask` included), then each named disease
 * (`purpose:DS:MONDO_…`; one no longer named is recorded as following DS again, i.e. with the DS
 * answer), then discovery, recontact and ask-each-time (permit: on).
 */
export function chainDecisions(
  previous: ConsentPreferences & { version: number },
  next: ConsentPreferences & { version: number },
): { scope: string; decision: Decision }[] {
  const decisions: { scope: string; decision: Decision }[] = [];
  const first = previous.version === 0;
  for (const scope of CONSENT_SCOPES) {
    if (!first && previous.purposes[scope] === next.purposes[scope]) continue;
    decisions.push({ scope: `purpose:${scope}`, decision: next.purposes[scope] });
  }
  const before = new Map((first ? [] : (previous.diseases ?? [])).map((d) => [d.id, d.choice]));
  const now = new Map((next.diseases ?? []).map((d) => [d.id, d.choice]));
  for (const [id, choice] of now)
    if (before.get(id) !== choice)
      decisions.push({ scope: diseaseChainScope(id), decision: choice });
  for (const id of before.keys())
    if (!now.has(id)) decisions.push({ scope: diseaseChainScope(id), decision: next.purposes.DS });
  if (first || previous.discoverable !== next.discoverable)
    decisions.push({ scope: 'discovery', decision: next.discoverable ? 'permit' : 'deny' });
  if (first || previous.recontact !== next.recontact)
    decisions.push({ scope: 'recontact', decision: next.recontact ? 'permit' : 'deny' });
  if (first || previous.askEachTime !== next.askEachTime)
    decisions.push({ scope: 'ask_each_time', decision: next.askEachTime ? 'permit' : 'deny' });
  return decisions;
}

async function writeVersion(
  tx: Tx,
  actor: Actor,
  participant: ParticipantRow,
  next: ConsentPreferences,
  action: KnownAuditAction,
  signing: ConsentSigning | undefined,
): Promise<PreferenceVersion> {
  const [previous] = await preferenceHistory(tx, participant.id);
  const version: PreferenceVersion = {
    ...next,
    version: previous!.version + 1,
    createdAt: new Date(),
  };
  const subject = await chainSubject(tx, participant.id);
  const { items, signedWith } = await vouchedRecords(
    tx,
    participant.id,
    {
      origin: 'pref',
      subject,
      version: version.version,
      evidence: { subject, ...version, createdAt: undefined, signedWith: undefined },
      decisions: chainDecisions(previous!, version),
    },
    signing,
    action === 'participant.withdraw' ? 'withdrawal' : 'decision',
  );
  // The stored choices, as the row holds them and as the audit event records them.
  const stored = {
    version: version.version,
    purposes: version.purposes,
    diseases: version.diseases ?? [],
    askEachTime: version.askEachTime,
    discoverable: version.discoverable,
    recontact: version.recontact,
    signedWith,
  };
  await tx.insert(consentPreferences).values({
    participantId: participant.id,
    ...stored,
    createdAt: version.createdAt!,
  });
  await setParticipantDiscoverable(tx, participant.id, version.discoverable);
  await recordCohortChange(tx, 'participant', participant.num);
  for (const item of items) await enqueueConsentRecord(tx, item);
  await appendParticipantEvent(tx, actor, action, participant.id, stored);
  return { ...version, signedWith };
}

/** Every named disease must be a MONDO term the ontology knows; otherwise nothing is written. */
async function refuseUnknownDiseases(tx: Tx, diseases: readonly DiseaseChoice[]): Promise<void> {
  if (diseases.length === 0) return;
  const ids = [...new Set(diseases.map((d) => d.id))];
  const known = new Set(
    (
      await tx
        .select({ curie: ontologyTerms.curie })
        .from(ontologyTerms)
        .where(and(eq(ontologyTerms.ontology, 'MONDO'), inArray(ontologyTerms.curie, ids)))
    ).map((t) => t.curie),
  );
  const issues = diseases.flatMap((d, i) =>
    known.has(d.id)
      ? []
      : [
          {
            field: `diseases.${i}.id`,
            message: `We do not know the disease ${d.id}: pick one from the list.`,
          },
        ],
  );
  if (issues.length)
    throw new ValidationError(
      `Invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
}

/**
 * A participant sets their standing preferences: a new version, audited, recorded on chain
 * through the outbox, and visible to the very next cohort count. One transaction.
 */
export async function setConsentPreferences(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  signing?: ConsentSigning,
): Promise<PreferenceVersion> {
  const parsed = parseInput(ConsentPreferencesSchema, input);
  await refuseUnknownDiseases(tx, parsed.diseases ?? []);
  const { actor: user, participant } = await ownParticipant(tx, actor);
  if (participant.status === 'withdrawn')
    throw new ConflictError('You have withdrawn; there is nothing left to consent to');
  // Diseases left out are kept as they are (an empty list clears them): the paper-consent form,
  // FHIR and older clients do not carry them, and must not erase them.
  const [current] = await preferenceHistory(tx, participant.id);
  const next = { ...parsed, diseases: parsed.diseases ?? current!.diseases ?? [] };
  return writeVersion(tx, user, participant, next, 'consent.preferences.update', signing);
}

/**
 * The consent half of a full withdrawal (participation/withdraw-participant.service.ts runs the
 * whole of it): every scope is denied in a new version, on chain through the outbox, and the
 * participant leaves every count (the change log makes the next query see it).
 */
export async function denyAllConsent(
  tx: Tx,
  actor: UserActor,
  participant: ParticipantRow,
  signing?: ConsentSigning,
): Promise<void> {
  const denyAll: ConsentPreferences = {
    purposes: {
      GRU: 'deny',
      HMB: 'deny',
      DS: 'deny',
      POA: 'deny',
      METHODS: 'deny',
      COMMERCIAL: 'deny',
    },
    diseases: [],
    askEachTime: false,
    discoverable: false,
    recontact: false,
  };
  await writeVersion(tx, actor, participant, denyAll, 'participant.withdraw', signing);
}

/** A decision read from the chain, as another linked site recorded it. */
export interface LinkedDecision {
  scope: string;
  decision: Decision;
}

/**
 * The preferences after applying decisions a participant signed at a linked site: purposes,
 * discovery, recontact and ask-each-time map one to one; other scopes (a disease, a study of
 * that site) have no counterpart here and are left as they are.
 */
function withLinkedDecisions(
  current: ConsentPreferences,
  decisions: readonly LinkedDecision[],
): ConsentPreferences {
  const next: ConsentPreferences = { ...current, purposes: { ...current.purposes } };
  for (const { scope, decision } of decisions) {
    const purpose = /^purpose:([A-Z]+)$/.exec(scope)?.[1];
    if (purpose && (CONSENT_SCOPES as readonly string[]).includes(purpose))
      next.purposes[purpose as keyof ConsentPreferences['purposes']] = decision;
    else if (scope === 'discovery') next.discoverable = decision === 'permit';
    else if (scope === 'recontact') next.recontact = decision === 'permit';
    else if (scope === 'ask_each_time') next.askEachTime = decision === 'permit';
  }
  return next;
}

async function lockedParticipant(tx: Tx, participantId: string): Promise<ParticipantRow> {
  const [row] = await tx
    .select()
    .from(participants)
    .where(eq(participants.id, participantId))
    .for('update');
  if (!row) throw new NotFoundError('Participant');
  return row;
}

/**
 * Applies here the newest decisions a participant signed at a linked site (read from the
 * chain): a new preference version when anything changes, recorded on chain under this site's
 * pseudonym by the institution with `witness` (it names the linked record), audited, and seen by
 * the next count and export. Returns whether anything changed. Runs in the caller's transaction.
 */
export async function applyLinkedDecisions(
  tx: Tx,
  actor: Actor,
  participantId: string,
  decisions: readonly LinkedDecision[],
  witness: string,
): Promise<boolean> {
  const participant = await lockedParticipant(tx, participantId);
  const [current] = await preferenceHistory(tx, participantId);
  const next = withLinkedDecisions(current!, decisions);
  const same =
    JSON.stringify(next.purposes) === JSON.stringify(current!.purposes) &&
    next.discoverable === current!.discoverable &&
    next.recontact === current!.recontact &&
    next.askEachTime === current!.askEachTime;
  if (same) return false;
  await writeVersion(tx, actor, participant, next, 'consent.linked.apply', {
    kind: 'attested',
    witness,
  });
  return true;
}
