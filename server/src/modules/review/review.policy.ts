import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';

/** Ethics boards and admins see the review queue. */
export function assertCanSeeReviewQueue(actor: Actor | null): void {
  if (!hasRole(actor, 'ethics_board', 'admin'))
    throw new ForbiddenError('Only the ethics board sees the review queue');
}

/** Only ethics board members vote (admins run the platform, they do not review). */
export function assertCanVote(
  actor: Actor | null,
): asserts actor is UserActor & { role: 'ethics_board' } {
  if (!hasRole(actor, 'ethics_board')) throw new ForbiddenError('Only ethics board members vote');
}

/** The board's individual votes are for boards and admins; researchers see the decision. */
export function canSeeVotes(actor: Actor | null): boolean {
  return hasRole(actor, 'ethics_board', 'admin');
}
