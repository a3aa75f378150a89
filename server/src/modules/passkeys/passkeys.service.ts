import {
  keyChangeChallenge,
  normalizeDerSignature,
  type KeyProof,
} from '@consentome/contracts-client';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import {
  registrationOptions,
  verifyAssertion,
  verifyRegistration,
  type RelyingParty,
} from '../../lib/webauthn.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import type { ContractAssertion } from '../chain/consent-records.js';
import { enqueuePasskeyChange } from '../chain/outbox.service.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { coseToSec1 } from './cose-to-sec1.js';
import { participantPasskeys, passkeyChallenges } from './passkeys.tables.js';

const CHALLENGE_TTL_MS = 5 * 60_000;
/** The witness of a first key: the signed-in participant registered it through the portal. */
const ENROLMENT_WITNESS = 'participant-portal-session';

type PasskeyRow = typeof participantPasskeys.$inferSelect;

/** A passkey as its owner sees it. */
export interface PasskeyView {
  id: string;
  credentialId: string;
  name: string;
  createdAt: Date;
}

const view = (r: PasskeyRow): PasskeyView => ({
  id: r.id,
  credentialId: r.credentialId,
  name: r.name,
  createdAt: r.createdAt,
});

function activeKeys(tx: Tx, participantId: string): Promise<PasskeyRow[]> {
  return tx
    .select()
    .from(participantPasskeys)
    .where(
      and(
        eq(participantPasskeys.participantId, participantId),
        isNull(participantPasskeys.removedAt),
      ),
    )
    .orderBy(asc(participantPasskeys.createdAt));
}

/** Whether the participant holds a passkey that was not removed (their decisions are signed). */
export async function hasActivePasskey(tx: Tx, participantId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: participantPasskeys.id })
    .from(participantPasskeys)
    .where(
      and(
        eq(participantPasskeys.participantId, participantId),
        isNull(participantPasskeys.removedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 60)
    throw new ValidationError('Give the passkey a name of 1 to 60 characters', [
      { field: 'name', message: '1 to 60 characters' },
    ]);
  return trimmed;
}

/** The signed-in participant's active passkeys, oldest first. */
export async function listPasskeys(tx: Tx, actor: Actor | null): Promise<PasskeyView[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  return (await activeKeys(tx, participant.id)).map(view);
}

/** Options for `navigator.credentials.create`; the challenge is kept for five minutes. */
export async function passkeyRegistrationOptions(
  tx: Tx,
  actor: Actor | null,
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const existing = await activeKeys(tx, participant.id);
  // No personal data in the authenticator: the user name is the participant's record id.
  const options = await registrationOptions(
    rp,
    participant.id,
    existing.map((k) => k.credentialId),
  );
  const row = {
    participantId: participant.id,
    challenge: options.challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  };
  await tx
    .insert(passkeyChallenges)
    .values(row)
    .onConflictDoUpdate({ target: passkeyChallenges.participantId, set: row });
  return options;
}

/**
 * Verifies `response` as an assertion by one of the participant's active passkeys over
 * `challenge` (raw bytes), moves that key's counter, and returns it in the contract's form (DER
 * signature normalised to low-S). Refused with a clear error otherwise; nothing changes then.
 */
export async function verifyParticipantAssertion(
  tx: Tx,
  participantId: string,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  challenge: Uint8Array,
): Promise<ContractAssertion> {
  const refused = (why: string) =>
    new ValidationError(`Your passkey signature was not accepted: ${why}`, [
      { field: 'signature', message: why },
    ]);
  const [key] = (await activeKeys(tx, participantId)).filter((k) => k.credentialId === response.id);
  if (!key) throw refused('this passkey is not one of yours (or it was removed)');
  let newCounter: number;
  try {
    newCounter = await verifyAssertion(
      rp,
      response,
      Buffer.from(challenge).toString('base64url'),
      key,
    );
  } catch (error) {
    throw refused((error as Error).message);
  }
  await tx
    .update(participantPasskeys)
    .set({ counter: newCounter })
    .where(eq(participantPasskeys.id, key.id));
  return {
    key_id: key.credentialId,
    authenticator_data: response.response.authenticatorData,
    client_data_json: response.response.clientDataJSON,
    signature: normalizeDerSignature(response.response.signature),
  };
}

/**
 * Adds a passkey. The first one (or the first after all were removed) is registered on chain by
 * the institution for the signed-in participant; any further one must be approved by an active
 * passkey, whose signature the chain checks too. One transaction; audited.
 */
export async function addPasskey(
  tx: Tx,
  actor: Actor | null,
  rp: RelyingParty,
  input: {
    response: RegistrationResponseJSON;
    name: string;
    approval?: AuthenticationResponseJSON | null;
  },
): Promise<PasskeyView> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const name = checkName(input.name);
  const [pending] = await tx
    .delete(passkeyChallenges)
    .where(eq(passkeyChallenges.participantId, participant.id))
    .returning();
  if (!pending || pending.expiresAt.getTime() < Date.now())
    throw new ConflictError('The passkey request expired; start again');
  let info;
  try {
    info = await verifyRegistration(rp, input.response, pending.challenge);
  } catch (error) {
    throw new ValidationError(`The passkey was not accepted: ${(error as Error).message}`, [
      { field: 'response', message: (error as Error).message },
    ]);
  }
  const credentialId = info.credentialId;
  const publicKeySec1 = coseToSec1(info.publicKey);
  const subject = await chainSubject(tx, participant.id);
  const active = await activeKeys(tx, participant.id);
  let proof: KeyProof;
  if (active.length === 0) {
    proof = { institution: { witness: ENROLMENT_WITNESS } };
  } else {
    if (!input.approval)
      throw new ValidationError('Approve the new passkey with one you already have', [
        { field: 'approval', message: 'required' },
      ]);
    const challenge = keyChangeChallenge('register_passkey', subject, credentialId, publicKeySec1);
    proof = {
      passkey: await verifyParticipantAssertion(tx, participant.id, rp, input.approval, challenge),
    };
  }
  const [row] = await tx
    .insert(participantPasskeys)
    .values({
      participantId: participant.id,
      credentialId,
      publicKeyCose: Buffer.from(info.publicKey).toString('base64url'),
      publicKeySec1,
      counter: info.counter,
      name,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError('This passkey is already registered');
  await enqueuePasskeyChange(tx, {
    register_passkey: { subject, key_id: credentialId, public_key: publicKeySec1, proof },
  });
  await appendParticipantEvent(tx, actor, 'passkey.add', participant.id, {
    passkey: row.id,
    approvedBy: 'passkey' in proof ? proof.passkey.key_id : null,
  });
  return view(row);
}

async function ownKey(tx: Tx, participantId: string, id: string): Promise<PasskeyRow> {
  const [key] = (await activeKeys(tx, participantId)).filter((k) => k.id === id);
  if (!key) throw new NotFoundError('Passkey');
  return key;
}

/** Renames one of the signed-in participant's passkeys (off chain only). */
export async function renamePasskey(
  tx: Tx,
  actor: Actor | null,
  input: { id: string; name: string },
): Promise<PasskeyView> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const key = await ownKey(tx, participant.id, input.id);
  const [row] = await tx
    .update(participantPasskeys)
    .set({ name: checkName(input.name) })
    .where(eq(participantPasskeys.id, key.id))
    .returning();
  return view(row!);
}

/**
 * Removes a passkey, approved by a signature of any active passkey (the one removed included),
 * which the chain checks: the operator cannot remove a participant's key silently.
 */
export async function removePasskey(
  tx: Tx,
  actor: Actor | null,
  rp: RelyingParty,
  input: { id: string; approval: AuthenticationResponseJSON },
): Promise<PasskeyView> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const key = await ownKey(tx, participant.id, input.id);
  const subject = await chainSubject(tx, participant.id);
  const challenge = keyChangeChallenge('remove_passkey', subject, key.credentialId);
  const assertion = await verifyParticipantAssertion(
    tx,
    participant.id,
    rp,
    input.approval,
    challenge,
  );
  const [row] = await tx
    .update(participantPasskeys)
    .set({ removedAt: new Date() })
    .where(eq(participantPasskeys.id, key.id))
    .returning();
  await enqueuePasskeyChange(tx, {
    remove_passkey: { subject, key_id: key.credentialId, proof: { passkey: assertion } },
  });
  await appendParticipantEvent(tx, actor, 'passkey.remove', participant.id, { passkey: key.id });
  return view(row!);
}
