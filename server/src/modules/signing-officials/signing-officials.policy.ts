import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { sameInstitution } from './institutions.js';

/** Only signing officials act as one; everyone else is refused. */
export function assertSigningOfficial(
  actor: Actor | null,
): asserts actor is UserActor & { role: 'signing_official' } {
  if (!hasRole(actor, 'signing_official'))
    throw new ForbiddenError('Only a signing official can do this');
}

/**
 * A signing official acts only for researchers of their own institution (an official without an
 * institution acts for nobody). Refused otherwise: nothing changes.
 */
export function assertSameInstitution(
  officialInstitution: string | null,
  researcherInstitution: string | null,
): void {
  if (!sameInstitution(officialInstitution, researcherInstitution))
    throw new ForbiddenError(
      'A signing official acts only for researchers of their own institution',
    );
}
