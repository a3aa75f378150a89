import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/**
 * Administrators set up care teams and manage their members (and the system, for the demo). Not
 * the clinicians themselves: a member added to a team gains access to every record the team is
 * authorised for, so who joins is decided by someone answerable for the whole platform.
 */
export function assertCanManageCareTeams(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'admin')) return;
  throw new ForbiddenError('Only an administrator manages care teams');
}

/** Participants (to pick one), clinicians and admins see the teams; nobody else. */
export function assertCanSeeCareTeams(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin', 'participant', 'clinician')) return;
  throw new ForbiddenError('Only participants, clinicians and administrators see care teams');
}
