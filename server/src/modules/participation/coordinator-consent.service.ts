import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor, UserActor } from '../actors/actor.js';
import {
  assertCoordinator,
  checkPaperEvidence,
  keepPaperRecord,
  paperRecordsOf,
} from '../assisted-consent/assisted-consent.service.js';
import type { PaperScan } from '../assisted-consent/paper-scan.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { preferenceHistory, type PreferenceVersion } from '../consent/consent.service.js';
import {
  linkRepresentativeRecord,
  representationsOfParticipant,
} from '../participants/representation.service.js';
import { participantAtCoordinatorSite } from '../participants/signed-in-participant.js';
import { myConsentRequests, type ConsentRequestView } from '../studies/consent-requests.service.js';
import { answerConsentRequest } from './answer-consent-request.service.js';
import { setPreferences } from './set-preferences.service.js';
import { withdrawConsent } from './withdraw-participant.service.js';

/** What a coordinator sees of a participant of their site. */
export interface CoordinatorParticipantView {
  id: string;
  enrolmentId: string;
  status: string;
  preferences: PreferenceVersion;
  requests: ConsentRequestView[];
  paperRecords: Awaited<ReturnType<typeof paperRecordsOf>>;
  representatives: Awaited<ReturnType<typeof representationsOfParticipant>>;
}

const FindInput = z.strictObject({
  enrolmentId: z.string().trim().min(1, { message: 'give the enrolment id' }).max(64),
});

const DecisionInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('preferences'), preferences: z.unknown() }),
  z.strictObject({
    kind: z.literal('answer'),
    requestId: idSchema,
    decision: z.enum(['permit', 'deny']),
  }),
  z.strictObject({ kind: z.literal('withdrawal') }),
]);

const PaperInput = z.object({
  participantId: idSchema,
  formVersion: z.unknown(),
  signedOn: z.unknown(),
  witnessName: z.unknown(),
  decision: DecisionInput,
});

async function institutionOf(tx: Tx, coordinator: UserActor): Promise<string> {
  const [me] = await tx
    .select({ institution: users.institution })
    .from(users)
    .where(eq(users.id, coordinator.userId));
  return me?.institution ?? '';
}

async function viewOf(
  tx: Tx,
  coordinator: UserActor,
  participant: { id: string; pseudonym: string; status: string; site: string },
): Promise<CoordinatorParticipantView> {
  // The requests are read as the coordinator acting for the participant, so the read is
  // audited on the participant's trail with the coordinator named.
  const onBehalf: UserActor = {
    ...coordinator,
    actingFor: { as: 'staff', participantId: participant.id },
  };
  return {
    id: participant.id,
    enrolmentId: participant.pseudonym,
    status: participant.status,
    preferences: (await preferenceHistory(tx, participant.id))[0]!,
    requests: await myConsentRequests(tx, onBehalf),
    paperRecords: await paperRecordsOf(tx, participant.id),
    representatives: await representationsOfParticipant(tx, participant.id),
  };
}

/**
 * A consent coordinator finds a participant of their own site by enrolment id: their current
 * preferences, study requests, paper records and representatives. Another site's participant
 * answers "not found". The read is audited on the participant's trail.
 */
export async function findParticipantAtMySite(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<CoordinatorParticipantView> {
  assertCoordinator(actor);
  const { enrolmentId } = parseInput(FindInput, input);
  const participant = await participantAtCoordinatorSite(tx, actor, { pseudonym: enrolmentId });
  await appendParticipantEvent(tx, actor, 'coordinator.participant.read', participant.id);
  return viewOf(tx, actor, participant);
}

/**
 * A consent coordinator records a decision a participant of their site took on paper or in
 * person: standing preferences, an answer to a study request, or a withdrawal. The paper facts
 * are checked first (a registered form version, a signing date, a witness, the scan); then the
 * decision goes through the participant's own use case, acting for them as staff, so precedence,
 * questions to studies and grantee notices apply as if they had clicked. On chain it is
 * institution-attested with the coordinator as witness, never participant-signed. One
 * transaction: a refusal anywhere changes nothing.
 */
export async function recordPaperDecision(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  scan: PaperScan | null,
): Promise<CoordinatorParticipantView> {
  assertCoordinator(actor);
  const data = parseInput(PaperInput, input);
  if (!scan)
    throw new ValidationError('Attach the scan of the signed form', [
      { field: 'scan', message: 'required' },
    ]);
  const participant = await participantAtCoordinatorSite(tx, actor, { id: data.participantId });
  const evidence = await checkPaperEvidence(tx, { ...data, scan });
  const onBehalf: UserActor = {
    ...actor,
    actingFor: {
      as: 'staff',
      participantId: participant.id,
      paper: { signedOn: evidence.signedOn, formVersion: evidence.formVersion },
    },
  };
  // The chain's witness names the paper record (a random id, no person): the record holds the
  // witness's name and the scan, and goes with them on erasure, leaving the chain unlinkable.
  const paperRecordId = randomUUID();
  const signing = { kind: 'attested', witness: `paper:${paperRecordId}` } as const;
  const decision = data.decision;
  if (decision.kind === 'preferences')
    await setPreferences(tx, onBehalf, decision.preferences, signing);
  else if (decision.kind === 'answer')
    await answerConsentRequest(
      tx,
      onBehalf,
      { requestId: decision.requestId, decision: decision.decision },
      signing,
    );
  else await withdrawConsent(tx, onBehalf, { confirm: true }, signing);
  const institution = await institutionOf(tx, actor);
  await keepPaperRecord(tx, actor, {
    id: paperRecordId,
    participantId: participant.id,
    institution,
    kind: decision.kind,
    consentRequestId: decision.kind === 'answer' ? decision.requestId : null,
    evidence,
  });
  await appendParticipantEvent(tx, onBehalf, 'consent.paper.record', participant.id, {
    paperRecordId,
    kind: decision.kind,
    scanSha256: evidence.scan.sha256,
    institution,
    witnessed: true,
  });
  return viewOf(tx, actor, await participantAtCoordinatorSite(tx, actor, { id: participant.id }));
}

const LinkTarget = z.object({ participantId: idSchema }).loose();

/**
 * A consent coordinator links a legally authorised representative (an existing participant-
 * portal account) to a participant of their own site, with the relationship and the end: the
 * participant's majority (from their date of birth, which is not stored) or a fixed date.
 */
export async function linkRepresentative(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<CoordinatorParticipantView> {
  assertCoordinator(actor);
  const { participantId, ...link } = parseInput(LinkTarget, input);
  const participant = await participantAtCoordinatorSite(tx, actor, { id: participantId }, true);
  await linkRepresentativeRecord(tx, actor, participant.id, link);
  return viewOf(tx, actor, participant);
}
