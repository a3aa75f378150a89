import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../audit/audit.service.js';
import {
  markRepresentationsConfirmed,
  representedBy,
  unconfirmedEndedRepresentations,
} from '../participants/representation.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';

/**
 * The participants the signed-in user may act for today (the portal's "acting for" switch).
 * Audited, since it names the people they represent.
 */
export async function myRepresentedParticipants(tx: Tx, actor: Actor | null) {
  if (!hasRole(actor, 'participant')) throw new NotFoundError('Participant');
  const represented = await representedBy(tx, actor.userId);
  if (represented.length)
    await appendAuditEvent(
      tx,
      { ...actor, actingFor: undefined },
      {
        action: 'representative.list',
        targetType: 'user',
        targetId: actor.userId,
        payload: { participants: represented.map((r) => r.participantId) },
      },
    );
  return represented;
}

/** What the signed-in participant is asked to confirm: representations that ended. */
export async function decisionsToConfirm(tx: Tx, actor: Actor | null) {
  if (actor?.kind === 'user' && actor.actingFor) throw new NotFoundError('Participant');
  const participant = await signedInParticipant(tx, actor, { lock: false });
  return unconfirmedEndedRepresentations(tx, participant.id);
}

/**
 * The participant, once their representation ended, confirms the decisions made for them (to
 * change one instead they change it on the consent page, which is a new decision of theirs).
 * Only the participant themself, never someone acting for them.
 */
export async function confirmDecisionsMadeForMe(tx: Tx, actor: Actor | null): Promise<number> {
  if (actor?.kind === 'user' && actor.actingFor) throw new NotFoundError('Participant');
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const confirmed = await markRepresentationsConfirmed(tx, participant.id);
  if (confirmed.length === 0) throw new ConflictError('There is nothing to confirm');
  await appendParticipantEvent(tx, actor, 'representative.decisions.confirm', participant.id, {
    representations: confirmed,
  });
  return confirmed.length;
}
