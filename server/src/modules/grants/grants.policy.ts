import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';

/** Who may see a grant: its researcher, boards and admins (and the platform itself). */
export function canSeeGrant(actor: Actor | null, grant: { researcherId: string }): boolean {
  if (actor?.kind === 'system') return true;
  if (hasRole(actor, 'researcher')) return grant.researcherId === actor.userId;
  return hasRole(actor, 'ethics_board', 'admin');
}

/** Which grants a list shows: a researcher's own, or all for boards and admins; others none. */
export function grantListScope(actor: Actor | null): { researcherId: string } | 'all' {
  if (hasRole(actor, 'researcher')) return { researcherId: actor.userId };
  if (hasRole(actor, 'ethics_board', 'admin')) return 'all';
  throw new ForbiddenError('Only researchers, ethics boards and admins see grants');
}

/** A board member or admin revokes a grant. */
export function assertCanRevokeGrant(actor: Actor | null): asserts actor is UserActor {
  if (!hasRole(actor, 'ethics_board', 'admin'))
    throw new ForbiddenError('Only the ethics board or an admin revokes grants');
}

/** The grantee acts on their grant (visibleGrant has already checked it is theirs). */
export function assertCanCloseOutGrant(actor: Actor | null): asserts actor is UserActor {
  if (!hasRole(actor, 'researcher'))
    throw new ForbiddenError('Only the grantee closes out a grant');
}
