import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/**
 * Staff see the network: which institutions are members, their public endpoints and the open
 * proposals. All of it is public on chain anyway; participants have no use for it.
 */
export function assertCanSeeNetwork(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin', 'ethics_board', 'steward', 'researcher'))
    return;
  throw new ForbiddenError('Only staff see the network of institutions');
}

/** Only an administrator speaks for this institution in the network's votes. */
export function assertCanGovernNetwork(actor: Actor | null): asserts actor is Actor {
  if (hasRole(actor, 'admin')) return;
  throw new ForbiddenError('Only an administrator votes and proposes for this institution');
}
