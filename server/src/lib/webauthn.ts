import { z } from 'zod';
import {
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * The WebAuthn ceremonies both kinds of passkey use (participants' chain-anchored keys and
 * staff second-factor keys), free of any table or chain: callers keep the challenges and keys.
 */

/** The WebAuthn relying party: the portal's origin and its host name (config.webauthn). */
/**
 * A WebAuthn assertion as the browser sends it (AuthenticationResponseJSON), bounded: checked
 * before any verification by every door that takes one (passkey sign-in, the staff second factor).
 */
export const AssertionResponseSchema = z.object({
  id: z.string().min(1).max(1_024),
  rawId: z.string().min(1).max(1_024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: z.string().min(1).max(4_096),
    authenticatorData: z.string().min(1).max(4_096),
    signature: z.string().min(1).max(1_024),
    userHandle: z.string().max(1_024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export interface RelyingParty {
  origin: string;
  rp_id: string;
}

/** ES256 only: the contract verifies P-256 and nothing else, and staff keys follow suit. */
export const ES256 = -7;

/** A stored passkey as verification needs it. */
export interface StoredCredential {
  credentialId: string;
  /** COSE public key, base64url. */
  publicKeyCose: string;
  counter: number;
}

/** A registration that verified: the new credential, ready to store. */
export interface VerifiedRegistration {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
}

/**
 * Options for `navigator.credentials.create`, ES256 only and without attestation. `userHandle`
 * names the account to the authenticator; it must carry no personal data (a record id).
 */
export function registrationOptions(
  rp: RelyingParty,
  userHandle: string,
  exclude: string[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: 'Consentome',
    rpID: rp.rp_id,
    userName: userHandle,
    userID: new TextEncoder().encode(userHandle),
    attestationType: 'none',
    supportedAlgorithmIDs: [ES256],
    excludeCredentials: exclude.map((id) => ({ id })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/**
 * Verifies a registration response against the challenge that was handed out. Throws an Error
 * whose message says why when it does not verify.
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
): Promise<VerifiedRegistration> {
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rp_id,
    requireUserVerification: false,
    supportedAlgorithmIDs: [ES256],
  });
  if (!result.verified) throw new Error('the registration does not verify');
  const { credential } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
  };
}

/**
 * Verifies an assertion by `key` over `expectedChallenge` (base64url) for this relying party and
 * answers the key's new signature counter. Throws an Error whose message says why otherwise.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  key: StoredCredential,
): Promise<number> {
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rp_id,
    credential: {
      id: key.credentialId,
      publicKey: Buffer.from(key.publicKeyCose, 'base64url'),
      counter: key.counter,
    },
    requireUserVerification: false,
  });
  if (!result.verified) throw new Error('the signature does not verify');
  return result.authenticationInfo.newCounter;
}

/** The challenge a browser signed, read from its clientDataJSON (undefined when unreadable). */
export function signedChallenge(clientDataJSON: string): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}
