import { eq } from 'drizzle-orm';
import type { Queryable } from '../../../db/database.js';
import { affiliationAndRoleProblem } from './visa-claims.js';
import { oidcIdentities } from '../../identity/identity.tables.js';
import { assertedAffiliations } from './asserted-affiliations.tables.js';

/** One AffiliationAndRole assertion: the value, who vouched for it, how and when. */
export interface AffiliationAssertion {
  value: string;
  /** The provider's issuer URL, or ours for an administrator's assertion. */
  source: string;
  by: 'so' | 'system';
  asserted: Date;
}

// eduPersonScopedAffiliation roles that imply membership (eduPerson: member includes faculty,
// staff, student and employee); affiliate, alum and library-walk-in are not members.
const MEMBER_ROLES = new Set(['staff', 'employee']);

/**
 * The visa value for one scoped affiliation claim, or null when it cannot be one: faculty,
 * student and member stay as they are, staff and employee count as member, the rest is dropped.
 */
export function affiliationVisaValue(claim: string): string | null {
  const at = claim.indexOf('@');
  if (at <= 0) return null;
  const role = claim.slice(0, at).toLowerCase();
  const value = `${MEMBER_ROLES.has(role) ? 'member' : role}@${claim.slice(at + 1).toLowerCase()}`;
  return affiliationAndRoleProblem(value) === null ? value : null;
}

/**
 * What the AffiliationAndRole visas of a user say: each affiliation their institutions' providers
 * asserted at the latest sign-in (source: that provider), and an administrator's assertion for
 * an account without one (by: system, source: us). A password account with neither gets none.
 */
export async function affiliationAssertions(
  db: Queryable,
  userId: string,
  ourIssuer: string,
): Promise<AffiliationAssertion[]> {
  const out: AffiliationAssertion[] = [];
  const seen = new Set<string>();
  const identities = await db
    .select()
    .from(oidcIdentities)
    .where(eq(oidcIdentities.userId, userId));
  for (const identity of identities)
    for (const claim of identity.affiliations) {
      const value = affiliationVisaValue(claim);
      if (value === null || seen.has(`${identity.issuer} ${value}`)) continue;
      seen.add(`${identity.issuer} ${value}`);
      out.push({
        value,
        source: identity.issuer,
        by: identity.affiliationBy === 'so' ? 'so' : 'system',
        asserted: identity.claimsAt,
      });
    }
  const [asserted] = await db
    .select()
    .from(assertedAffiliations)
    .where(eq(assertedAffiliations.userId, userId));
  if (asserted)
    out.push({
      value: asserted.value,
      source: ourIssuer,
      by: 'system',
      asserted: asserted.assertedAt,
    });
  return out.slice(0, 20);
}
