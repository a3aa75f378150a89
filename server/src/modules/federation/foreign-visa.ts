import type { MemberRecord } from '@consentome/contracts-client';
import { decodeProtectedHeader } from 'jose';
import { JWKS_PATH } from '../grants/passport/jwks-url.js';
import { verifyVisa, type VerifiedVisa } from '../grants/passport/verify-visa.js';
import type { VisaType } from '../grants/passport/visa-claims.js';
import type { MemberRegistry } from './member-registry.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A visa another active member signed, checked against the keys the chain registry lists. */
export interface ForeignVisa {
  member: MemberRecord;
  visa: VerifiedVisa;
}

/**
 * The longest a visa from another member may live. Every visa a member's server sends here is
 * signed for the one call it makes (a federated count, a request, a status check, an export),
 * so a longer-lived one is a token someone kept, not one a member's server just sent.
 */
export const MAX_FOREIGN_VISA_SECONDS = 600;

/** What a foreign visa must be. */
export interface ForeignVisaOptions {
  /**
   * This site's registered Beacon: the `aud` every foreign visa must name, so a visa sent to
   * one member cannot be replayed at another.
   */
  audience: string;
  /** The visa types accepted. */
  types: readonly VisaType[];
}

/**
 * Whether `token` is a visa from another member at all: a compact JWS whose `jku` is not this
 * server's own key set. Null for anything else (our own visas, sessions, no token), so the
 * caller can fall back to its ordinary checks.
 */
export function foreignJku(token: string | null, ownJwksUrl: string): string | null {
  if (!token || !JWT.test(token)) return null;
  try {
    const { jku } = decodeProtectedHeader(token);
    return typeof jku === 'string' && jku !== ownJwksUrl ? jku : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a visa signed by another member of the network, trusting nothing the token says
 * about its keys: the issuer is the member whose registered Passport key set (chain registry)
 * is the token's `jku`, the member must be active (not removed), its `kid` must be one the
 * registry lists for that member, the key must be published at that URL (fetched, cached
 * briefly), `iss` must be the origin the key set is published under, the visa must name this
 * site's Beacon as its audience (`aud`), be unexpired, and live at most
 * MAX_FOREIGN_VISA_SECONDS. Refusals say why in words an operator can act on and name
 * institutions, never people.
 */
export async function verifyForeignVisa(
  registry: MemberRegistry,
  token: string,
  options: ForeignVisaOptions,
): Promise<ForeignVisa | { refused: string }> {
  let header: { jku?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { refused: 'the visa header cannot be read' };
  }
  const { jku, kid } = header;
  if (typeof jku !== 'string') return { refused: 'the visa names no key set (jku)' };
  if (typeof kid !== 'string' || !kid) return { refused: 'the visa names no key id' };
  if (!jku.endsWith(JWKS_PATH))
    return { refused: `${jku} is not a Passport key set (${JWKS_PATH})` };
  const resolved = await registry.keysFor(jku, kid);
  if ('refused' in resolved) return resolved;
  const verified = await verifyVisa(resolved.keys, token, {
    issuer: jku.slice(0, -JWKS_PATH.length),
    audience: options.audience,
    audienceRequired: true,
  });
  if (!verified.ok) return { refused: `${resolved.member.id}: ${verified.message}` };
  if (verified.visa.expiresAt - verified.visa.issuedAt > MAX_FOREIGN_VISA_SECONDS)
    return {
      refused: `${resolved.member.id}: a visa from another member may live at most ${MAX_FOREIGN_VISA_SECONDS} s`,
    };
  const { type } = verified.visa.visa;
  if (!options.types.includes(type))
    return { refused: `${resolved.member.id}: a ${type} visa is not accepted here` };
  return { member: resolved.member, visa: verified.visa };
}
