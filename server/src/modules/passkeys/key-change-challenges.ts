import { keyChangeChallenge } from '@consentome/contracts-client';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  decodeAttestationObject,
  isoBase64URL,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { coseToSec1 } from './cose-to-sec1.js';
import { participantPasskeys } from './passkeys.tables.js';

/*
 * A key change signed by a passkey commits to the participant's chain subject, which only the
 * server knows (it is an HMAC under a per-participant secret). These give the browser the exact
 * WebAuthn challenge to sign, so removing a passkey or approving a further one works from the
 * portal. They change nothing: addPasskey and removePasskey recompute and verify the challenge.
 */

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The challenge (base64url) an active passkey signs to approve removing passkey `id`. */
export async function passkeyRemovalChallenge(
  tx: Tx,
  actor: Actor | null,
  id: string,
): Promise<string> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const [key] = await tx
    .select()
    .from(participantPasskeys)
    .where(
      and(
        eq(participantPasskeys.id, id),
        eq(participantPasskeys.participantId, participant.id),
        isNull(participantPasskeys.removedAt),
      ),
    );
  if (!key) throw new NotFoundError('Passkey');
  const subject = await chainSubject(tx, participant.id);
  return b64url(keyChangeChallenge('remove_passkey', subject, key.credentialId));
}

/**
 * The challenge (base64url) an active passkey signs to approve adding the new passkey of
 * `response` (from startRegistration, not yet sent to addPasskey). Only the key is read here;
 * addPasskey verifies the registration itself.
 */
export async function passkeyApprovalChallenge(
  tx: Tx,
  actor: Actor | null,
  response: RegistrationResponseJSON,
): Promise<string> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  let credentialId: string;
  let publicKeySec1: string;
  try {
    const attestation = decodeAttestationObject(
      isoBase64URL.toBuffer(response.response.attestationObject),
    );
    const auth = parseAuthenticatorData(attestation.get('authData'));
    if (!auth.credentialID || !auth.credentialPublicKey) throw new Error('no credential');
    credentialId = isoBase64URL.fromBuffer(auth.credentialID);
    publicKeySec1 = coseToSec1(auth.credentialPublicKey);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError('Not a passkey registration', [
      { field: 'response', message: (error as Error).message },
    ]);
  }
  const subject = await chainSubject(tx, participant.id);
  return b64url(keyChangeChallenge('register_passkey', subject, credentialId, publicKeySec1));
}
