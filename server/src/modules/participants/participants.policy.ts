import { ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/** Stewards enrol participants; admins and operators may too. */
export function assertCanManageParticipants(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'steward', 'admin')) return;
  throw new ForbiddenError('Only a data steward can manage participants');
}

/** Who may list participant records: stewards, ethics boards (for audit), admins, operators. */
export function assertCanListParticipants(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'steward', 'ethics_board', 'admin')) return;
  throw new ForbiddenError('You cannot list participants');
}

/**
 * May the actor read this participant record? A participant reads only their own; a
 * researcher never reads participant-level records. Anything else answers "not found", so the
 * caller learns nothing about whether the record exists.
 */
export function assertCanReadParticipant(
  actor: Actor | null,
  participant: { userId: string | null },
): void {
  if (actor?.kind === 'system' || hasRole(actor, 'steward', 'ethics_board', 'admin')) return;
  if (hasRole(actor, 'participant') && participant.userId === actor.userId) return;
  throw new NotFoundError('Participant');
}
