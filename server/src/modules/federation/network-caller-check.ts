import { decodeProtectedHeader } from 'jose';
import { bearerToken } from '../../http/request-viewer.js';
import type { NetworkCallerCheck } from '../beacon/network-callers.js';
import { JWKS_PATH } from '../grants/passport/jwks-url.js';
import { verifyVisa } from '../grants/passport/verify-visa.js';
import type { MemberRegistry } from './member-registry.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/**
 * The longest a network query visa may live: it is signed for one federated query, so a
 * long-lived one is a token someone kept, not one a member's server just sent.
 */
export const MAX_NETWORK_VISA_SECONDS = 600;

/**
 * The Beacon's check for queries from other members: a ResearcherStatus visa whose `jku` is a
 * member's registered key set, signed with a key id that member registered on chain, issued by
 * that member (the issuer is the origin its key set is published under), addressed to this
 * institution's own registered Beacon (`aud`), and short-lived. Visas of removed members, keys
 * a member publishes but never registered, and visas meant for another site are refused.
 * `ownJwksUrl` is where this server's own visas point: those go to the ordinary visa checker.
 */
export function networkCallerCheck(
  registry: MemberRegistry,
  ownJwksUrl: string,
): NetworkCallerCheck {
  return async (request) => {
    const token = bearerToken(request);
    if (!token || !JWT.test(token)) return null;
    let jku: unknown;
    let kid: unknown;
    try {
      ({ jku, kid } = decodeProtectedHeader(token));
    } catch {
      return null;
    }
    if (typeof jku !== 'string' || jku === ownJwksUrl) return null;
    if (typeof kid !== 'string' || !kid) return { refused: 'the visa names no key id' };
    if (!jku.endsWith(JWKS_PATH))
      return { refused: `${jku} is not a Passport key set (${JWKS_PATH})` };
    const self = await registry.self();
    if (!self) return { refused: 'this institution is not a member of the network' };
    const resolved = await registry.keysFor(jku, kid);
    if ('refused' in resolved) return resolved;
    const verified = await verifyVisa(resolved.keys, token, {
      issuer: jku.slice(0, -JWKS_PATH.length),
      audience: self.beacon_url,
      type: 'ResearcherStatus',
    });
    if (!verified.ok) return { refused: `${resolved.member.id}: ${verified.message}` };
    const { issuedAt, expiresAt, subject } = verified.visa;
    if (expiresAt - issuedAt > MAX_NETWORK_VISA_SECONDS)
      return {
        refused: `${resolved.member.id}: a network query visa may live at most ${MAX_NETWORK_VISA_SECONDS} s`,
      };
    return { caller: { memberId: resolved.member.id, subject } };
  };
}
