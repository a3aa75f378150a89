import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/** Admins set up committees (and the system, for the demo and the move from one board). */
export function assertCanManageDacs(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'admin')) return;
  throw new ForbiddenError('Only an administrator manages data access committees');
}

/** Committees, their members and datasets are for the board and admins to see. */
export function assertCanSeeDacs(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin', 'ethics_board')) return;
  throw new ForbiddenError('Only the ethics board and administrators see the committees');
}
