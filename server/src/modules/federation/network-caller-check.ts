import type { Queryable } from '../../db/database.js';
import { bearerToken } from '../../http/request-viewer.js';
import type { NetworkCallerCheck } from '../beacon/network-callers.js';
import { beaconRefusal, foreignGrant } from './foreign-grant.js';
import { foreignJku, verifyForeignVisa } from './foreign-visa.js';
import type { MemberRegistry } from './member-registry.js';

/** What honouring other members' ControlledAccessGrants visas needs. */
export interface ControlledTierSettings {
  db: Queryable;
  /** This server's Passport issuer (`PUBLIC_URL`): our dataset URLs start with it. */
  issuer: string;
}

/**
 * The Beacon's check for queries from other members, against the chain registry:
 * - a ResearcherStatus visa (a federated count): signed by an active member with a key id it
 *   registered on chain, issued by that member, addressed to this institution's own registered
 *   Beacon (`aud`), and short-lived (verifyForeignVisa);
 * - a ControlledAccessGrants visa (with `controlled`): the same checks; signed by the
 *   member's DAC for one of our datasets; opens that dataset's protected counts when the
 *   dataset's `networkAccess` allows it (foreign-grant.ts).
 * Visas of removed or unknown members, keys a member publishes but never registered, and visas
 * meant for another site are refused. `ownJwksUrl` is where this server's own visas point:
 * those go to the ordinary visa checker.
 */
export function networkCallerCheck(
  registry: MemberRegistry,
  ownJwksUrl: string,
  controlled?: ControlledTierSettings,
): NetworkCallerCheck {
  return async (request) => {
    const token = bearerToken(request);
    if (!token || foreignJku(token, ownJwksUrl) === null) return null;
    const self = await registry.self();
    if (!self) return { refused: 'this institution is not a member of the network' };
    const types = controlled
      ? (['ResearcherStatus', 'ControlledAccessGrants'] as const)
      : (['ResearcherStatus'] as const);
    const foreign = await verifyForeignVisa(registry, token, {
      audience: self.beacon_url,
      types,
    });
    if ('refused' in foreign) return foreign;
    const { member, visa } = foreign;
    if (visa.visa.type === 'ResearcherStatus')
      return { caller: { memberId: member.id, subject: visa.subject } };
    // Only reached with `controlled` (without it the type was refused above); said for the types.
    if (!controlled)
      return { refused: `${member.id}: a ${visa.visa.type} visa is not accepted here` };
    const grant = await foreignGrant(controlled.db, controlled.issuer, foreign);
    if ('refused' in grant) return grant;
    const refusal = beaconRefusal(grant, member.id);
    if (refusal) return { refused: refusal };
    return {
      caller: { memberId: member.id, subject: visa.subject, datasets: [grant.dataset.id] },
    };
  };
}
