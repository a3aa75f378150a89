import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { users } from '../accounts/accounts.tables.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { activeRepresentation, representationOf } from './representation-check.js';
import { participants } from './participants.tables.js';

type ParticipantRow = typeof participants.$inferSelect;

async function participantById(tx: Tx, participantId: string, lock: boolean) {
  const query = tx.select().from(participants).where(eq(participants.id, participantId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/**
 * The participant the actor acts for, checked now (not when the request began): a representative
 * only while their representation holds, a coordinator only for a participant of their own site.
 */
async function actedForParticipant(
  tx: Tx,
  actor: Actor & { kind: 'user' },
  lock: boolean,
): Promise<ParticipantRow> {
  const acting = actor.actingFor!;
  if (acting.as === 'representative') {
    if (!hasRole(actor, 'participant')) throw new NotFoundError('Participant');
    const link = await activeRepresentation(tx, actor.userId, acting.participantId);
    if (!link) {
      const ended = await representationOf(tx, actor.userId, acting.participantId);
      if (!ended) throw new NotFoundError('Participant');
      throw new ForbiddenError(
        `Your representation of this participant ended on ${ended.endsOn}: you can no longer act for them`,
      );
    }
  } else return participantAtCoordinatorSite(tx, actor, { id: acting.participantId }, lock);
  const participant = await participantById(tx, acting.participantId, lock);
  if (!participant || participant.pseudonym.startsWith('ERASED-'))
    throw new NotFoundError('Participant');
  return participant;
}

/**
 * A participant of the consent coordinator's own site, by id or by enrolment id (pseudonym).
 * Another site's participant, or anyone asking who is not a coordinator, gets "not found":
 * existence is not leaked across sites.
 */
export async function participantAtCoordinatorSite(
  tx: Tx,
  actor: Actor | null,
  which: { id: string } | { pseudonym: string },
  lock = false,
): Promise<ParticipantRow & { site: string }> {
  if (!hasRole(actor, 'consent_coordinator')) throw new NotFoundError('Participant');
  const [me] = await tx
    .select({ institution: users.institution })
    .from(users)
    .where(eq(users.id, actor.userId));
  const query = tx
    .select()
    .from(participants)
    .where(
      'id' in which ? eq(participants.id, which.id) : eq(participants.pseudonym, which.pseudonym),
    );
  const [participant] = lock ? await query.for('update') : await query;
  if (
    !participant ||
    !me?.institution ||
    participant.site !== me.institution ||
    participant.pseudonym.startsWith('ERASED-')
  )
    throw new NotFoundError('Participant');
  return { ...participant, site: participant.site };
}

/**
 * The participant record of the signed-in participant, locked when the caller is about to
 * write for them; or, for a user acting for a participant (a representative, a coordinator
 * recording a paper decision), that participant's, checked at this use. Anyone else has none:
 * "not found", never "forbidden".
 */
export async function signedInParticipant(
  tx: Tx,
  actor: Actor | null,
  options: { lock: boolean },
): Promise<ParticipantRow> {
  if (actor?.kind === 'user' && actor.actingFor)
    return actedForParticipant(tx, actor, options.lock);
  if (!hasRole(actor, 'participant')) throw new NotFoundError('Participant');
  const query = tx.select().from(participants).where(eq(participants.userId, actor.userId));
  const [participant] = options.lock ? await query.for('update') : await query;
  if (!participant) throw new NotFoundError('Participant');
  return participant;
}
