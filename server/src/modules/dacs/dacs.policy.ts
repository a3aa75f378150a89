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

/**
 * A committee's data use agreement is published by an administrator or the committee's chair
 * (and the system, for the demo); nobody else.
 */
export function assertCanPublishAgreement(
  actor: Actor | null,
  dac: { chairId: string | null },
): asserts actor is Actor {
  if (mayPublishAgreement(actor, dac)) return;
  throw new ForbiddenError(
    'Only an administrator or the committee’s chair publishes its agreement',
  );
}

/**
 * The rule of `assertCanPublishAgreement` as a yes/no, so the portal offers the publish form to
 * exactly those the API lets publish (an administrator, or the committee's chair).
 */
export function mayPublishAgreement(actor: Actor | null, dac: { chairId: string | null }): boolean {
  if (actor?.kind === 'system' || hasRole(actor, 'admin')) return true;
  return hasRole(actor, 'ethics_board') && dac.chairId === actor.userId;
}

/** Who accepts agreements, and in which capacity: the researcher as PI, the signing official. */
export function acceptanceCapacity(
  actor: Actor | null,
): 'principal_investigator' | 'signing_official' {
  if (hasRole(actor, 'researcher')) return 'principal_investigator';
  if (hasRole(actor, 'signing_official')) return 'signing_official';
  throw new ForbiddenError('Only researchers and signing officials accept data use agreements');
}
