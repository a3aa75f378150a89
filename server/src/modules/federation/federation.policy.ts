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

/**
 * Who may see and decide, for this site's DAC, requests from other members' researchers to use
 * our datasets: the ethics board and admins, as people (the decision records who made it). The
 * service narrows it: only a member of the committee governing the dataset decides, and a
 * board member sees the requests on their committees' datasets.
 */
export function assertCanDecideNetworkAccess(actor: Actor | null): asserts actor is UserActor {
  if (actor?.kind === 'user' && hasRole(actor, 'ethics_board', 'admin')) return;
  throw new ForbiddenError(
    'Only the ethics board or an admin can decide on requests from other institutions',
  );
}

/** Who may ask for a dataset held at another member: researchers, as themselves. */
export function assertCanRequestRemoteAccess(actor: Actor | null): asserts actor is UserActor {
  if (actor?.kind === 'user' && hasRole(actor, 'researcher') && !actor.actingFor) return;
  throw new ForbiddenError('Only researchers can ask for datasets held at other institutions');
}

/**
 * Who may see and decide this site's researchers' requests for datasets held at other members:
 * the ethics board (the service narrows it to the committee designated for network requests)
 * and admins, who see them (to designate the committee) but cannot decide them.
 */
export function assertCanReviewRemoteAccess(actor: Actor | null): asserts actor is UserActor {
  if (actor?.kind === 'user' && hasRole(actor, 'ethics_board', 'admin')) return;
  throw new ForbiddenError(
    'Only the ethics board or an admin can see requests for datasets held at other institutions',
  );
}

/** Who designates the committee that decides network requests: an admin, as a person. */
export function assertCanDesignateNetworkCommittee(
  actor: Actor | null,
): asserts actor is UserActor {
  if (actor?.kind === 'user' && hasRole(actor, 'admin')) return;
  throw new ForbiddenError('Only an admin designates the committee for network requests');
}
