import { ForbiddenError } from '../../errors/app-errors.js';
import type { Tx } from '../../db/database.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { dacsOfMember, governingDacs } from '../dacs/dac-reads.js';

/**
 * The role name of an institution's signing official. The role itself (and its institution) is
 * being added with the SO approval step of submission; until an account can hold it, nobody
 * passes `assertCanCountersignCloseout`, so a closeout waits for its countersignature.
 */
export const SIGNING_OFFICIAL_ROLE = 'signing_official';

/** The grantee submits renewal reports and attests closeouts (visibleGrant checks it is theirs). */
export function assertIsGrantee(
  actor: Actor | null,
  grant: { researcherId: string },
): asserts actor is UserActor {
  if (!hasRole(actor, 'researcher') || actor.userId !== grant.researcherId)
    throw new ForbiddenError('Only the grant’s principal investigator does this');
}

/**
 * The committees that may decide on a grant's renewal: those governing its datasets that the
 * actor sits on (empty: the actor may not). Admins run the platform and do not review.
 */
export async function renewalCommittees(
  tx: Tx,
  actor: Actor | null,
  grant: { datasetIds: string[] },
): Promise<string[]> {
  if (!hasRole(actor, 'ethics_board')) return [];
  const governing = new Set((await governingDacs(tx, grant.datasetIds)).values());
  return (await dacsOfMember(tx, actor.userId)).filter((d) => governing.has(d));
}

/** A member of a committee governing the grant's datasets decides its renewal or revokes it. */
export async function assertCanDecideRenewal(
  tx: Tx,
  actor: Actor | null,
  grant: { datasetIds: string[] },
): Promise<UserActor> {
  if (actor?.kind === 'user' && (await renewalCommittees(tx, actor, grant)).length > 0)
    return actor;
  throw new ForbiddenError('Only a member of a committee that governs the grant’s data decides');
}

/**
 * The hook for the signing official's countersignature of a closeout: an account holding the
 * `signing_official` role. When signing officials get institutions, this is where the check that
 * the official is the grantee's institution's belongs.
 */
export function assertCanCountersignCloseout(actor: Actor | null): asserts actor is UserActor {
  if (actor?.kind === 'user' && (actor.role as string) === SIGNING_OFFICIAL_ROLE) return;
  throw new ForbiddenError('Only a signing official countersigns a closeout');
}
