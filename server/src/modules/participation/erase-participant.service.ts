import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { deleteAccount } from '../accounts/accounts.service.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { eraseChainSubject } from '../chain/subject-pseudonym.js';
import { denyAllConsent } from '../consent/consent.service.js';
import { eraseParticipantData } from '../datasets/ingest/participant-data-erasure.js';
import { askGranteesToDelete, studiesThatReceivedData } from '../grants/grants.service.js';
import { forgetUserIdentity } from '../identity/forget-user-identity.js';
import { deleteNotificationsOf } from '../notifications/notifications.service.js';
import {
  eraseParticipantRecord,
  markParticipantWithdrawn,
} from '../participants/participants.service.js';
import { participants } from '../participants/participants.tables.js';
import { eraseRepresentationsOf } from '../participants/representation.service.js';
import { erasePaperRecordsOf } from '../assisted-consent/assisted-consent.service.js';
import { eraseRecordOf } from '../record/erase-record.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { forgetReminderSchedule } from '../studies/consent-reminders.js';
import { closeParticipantRequests } from '../studies/consent-requests.service.js';

/** Something erasure cannot remove, and why, shown before the participant confirms. */
export interface ErasureLimit {
  what: string;
  why: string;
}

/** What an erasure will do, for the participant (or staff for them) to read before confirming. */
export interface ErasurePlan {
  participantId: string;
  /** Typed back to confirm: the second step. */
  confirmationPhrase: string;
  willErase: string[];
  cannotErase: ErasureLimit[];
}

/** What an erasure did: the participant's receipt. */
export interface ErasureReceipt {
  erasedAt: Date;
  /** The audit event that records the erasure: sequence and hash, checkable on the trail. */
  auditSeq: number;
  auditHash: string;
  phenotypesDeleted: number;
  genotypeCallsDeleted: number;
  accountDeleted: boolean;
  /** Studies with access asked to delete the data from their downloads and to confirm. */
  studiesAskedToDelete: string[];
  cannotErase: ErasureLimit[];
}

const Target = z.object({ participantId: idSchema.nullish() });
const Confirm = Target.extend({ confirmation: z.string().max(200) });

const WILL_ERASE = [
  'Your account: e-mail address, name and password, and every session (you are signed out).',
  'Your contact details and the code that links your study site’s records to you.',
  'Your phenotypes (health observations) and genotype calls in every dataset.',
  'Uploaded files: none are kept after they are read in, and the rows read from them go.',
  'The key that links chain records to you, so they can no longer be tied to you.',
  'Scans of consent forms you signed on paper, and the links to any legal representative.',
];

/**
 * The participant to erase: the signed-in participant themself, or the one a steward or admin
 * names. Anyone else gets "not found".
 */
async function target(tx: Tx, actor: Actor | null, participantId: string | null | undefined) {
  // Erasure is the participant's own act (or their site's steward's), never a representative's.
  if (actor?.kind === 'user' && actor.actingFor) throw new NotFoundError('Participant');
  if (hasRole(actor, 'participant') && !participantId)
    return signedInParticipant(tx, actor, { lock: true });
  if (!hasRole(actor, 'steward', 'admin') || !participantId) throw new NotFoundError('Participant');
  const [row] = await tx
    .select()
    .from(participants)
    .where(eq(participants.id, participantId))
    .for('update');
  if (!row || row.pseudonym.startsWith('ERASED-')) throw new NotFoundError('Participant');
  return row;
}

async function limits(tx: Tx, participantId: string): Promise<ErasureLimit[]> {
  const received = await studiesThatReceivedData(tx, participantId);
  return [
    ...received.map((title) => ({
      what: `Data already exported to “${title}”`,
      why: 'It left Consentome before your request. The study is asked to delete it and to confirm.',
    })),
    {
      what: 'The audit trail of who used your data',
      why: 'Kept by law as evidence; it names a random code, never you, and nobody can link the code to you after erasure.',
    },
    {
      what: 'Consent records on the blockchain',
      why: 'A blockchain cannot be changed; without the deleted key they can no longer be tied to you.',
    },
  ];
}

/**
 * Step one of erasure (GDPR Art. 17): what will be erased, what cannot be and why, and the phrase
 * that confirms. The request itself is audited on the participant's trail.
 */
export async function erasurePlan(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ErasurePlan> {
  const { participantId } = parseInput(Target, input ?? {});
  const participant = await target(tx, actor, participantId);
  await appendParticipantEvent(tx, actor, 'participant.erasure.request', participant.id);
  return {
    participantId: participant.id,
    confirmationPhrase: `erase ${participant.pseudonym}`,
    willErase: WILL_ERASE,
    cannotErase: await limits(tx, participant.id),
  };
}

/**
 * Step two: erases the participant, in the caller's one transaction. Withdraws them first if they
 * had not (consent denies everything, on chain), asks grantees holding their data to delete it,
 * then each module deletes its own rows: genomic data, notifications, the record's personal
 * fields and enrolment codes, the account and its sessions, and the chain key, which leaves every
 * chain record unlinkable. The audit trail stays (pseudonymous), with the erasure on it.
 */
export async function eraseParticipant(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ErasureReceipt> {
  const { participantId, confirmation } = parseInput(Confirm, input ?? {});
  const participant = await target(tx, actor, participantId);
  if (confirmation.trim().toLowerCase() !== `erase ${participant.pseudonym}`.toLowerCase())
    throw new ValidationError('Type the confirmation phrase exactly as shown', [
      { field: 'confirmation', message: `must be “erase ${participant.pseudonym}”` },
    ]);
  const cannotErase = await limits(tx, participant.id);
  const erasedAt = new Date();
  if (participant.status !== 'withdrawn') {
    await denyAllConsent(tx, actor as UserActor, participant);
    await markParticipantWithdrawn(tx, participant.id, erasedAt);
  }
  await closeParticipantRequests(tx, participant.id);
  await forgetReminderSchedule(tx, participant.id);
  const asked = await askGranteesToDelete(tx, actor, participant.id);
  const data = await eraseParticipantData(tx, participant);
  const audit = await appendParticipantEvent(tx, actor, 'participant.erase', participant.id, {
    phenotypes: data.phenotypes,
    genotypeCalls: data.genotypeCalls,
    samples: data.samples,
    account: participant.userId !== null,
    granteesAsked: asked.length,
  });
  await eraseChainSubject(tx, participant.id);
  await erasePaperRecordsOf(tx, participant.id);
  await eraseRecordOf(tx, participant.id);
  await eraseRepresentationsOf(tx, participant.id, participant.userId);
  await eraseParticipantRecord(tx, participant.id);
  if (participant.userId) {
    await deleteNotificationsOf(tx, participant.userId);
    await forgetUserIdentity(tx, participant.userId);
    await deleteAccount(tx, participant.userId);
  }
  return {
    erasedAt,
    auditSeq: audit.seq,
    auditHash: audit.hash,
    phenotypesDeleted: data.phenotypes,
    genotypeCallsDeleted: data.genotypeCalls,
    accountDeleted: participant.userId !== null,
    studiesAskedToDelete: [...new Set(asked.map((a) => a.studyTitle))],
    cannotErase,
  };
}
