import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';

/**
 * Who may count across the network: the people who may count locally, as users (a network
 * count is signed for a person, never for the system).
 */
export function assertCanCountNetwork(actor: Actor | null): asserts actor is UserActor {
  if (actor?.kind === 'user' && hasRole(actor, 'researcher', 'ethics_board', 'steward', 'admin'))
    return;
  throw new ForbiddenError(
    'Only researchers, ethics boards and stewards can count across the network',
  );
}
