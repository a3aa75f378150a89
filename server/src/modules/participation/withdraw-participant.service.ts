import type { Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import type { Actor, UserActor } from '../actors/actor.js';
import { denyAllConsent } from '../consent/consent.service.js';
import { studiesThatReceivedData, tellGranteesParticipantLeft } from '../grants/grants.service.js';
import { markParticipantWithdrawn } from '../participants/participants.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { closeParticipantRequests } from '../studies/consent-requests.service.js';

/** What withdrawal did, said honestly. */
export interface WithdrawalResult {
  withdrawnAt: Date;
  /** Studies that already received data: data already exported cannot be called back. */
  studiesThatReceivedData: string[];
}

/**
 * Full withdrawal, effective at once, as one use case over the modules it touches: consent denies
 * every scope (on chain, out of every count), the participant record is marked withdrawn, the
 * studies close their unanswered requests, and grantees of active grants that included them are
 * told. One transaction.
 */
export async function withdrawConsent(
  tx: Tx,
  actor: Actor | null,
  input: { confirm: boolean },
): Promise<WithdrawalResult> {
  if (input.confirm !== true) {
    throw new ValidationError('Confirm that you want to withdraw', [
      { field: 'confirm', message: 'must be true' },
    ]);
  }
  const participant = await signedInParticipant(tx, actor, { lock: true });
  if (participant.status === 'withdrawn') throw new ConflictError('You have already withdrawn');
  await denyAllConsent(tx, actor as UserActor, participant);
  const withdrawnAt = new Date();
  await markParticipantWithdrawn(tx, participant.id, withdrawnAt);
  await closeParticipantRequests(tx, participant.id);
  await tellGranteesParticipantLeft(tx, participant.id);
  return {
    withdrawnAt,
    studiesThatReceivedData: await studiesThatReceivedData(tx, participant.id),
  };
}
