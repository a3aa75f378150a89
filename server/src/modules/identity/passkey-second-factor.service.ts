import {
  generateAuthenticationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import {
  signedChallenge,
  verifyAssertion,
  type RelyingParty,
  AssertionResponseSchema,
} from '../../lib/webauthn.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { staffPasskeyChallenges, staffPasskeys } from './identity.tables.js';
import { recordSecondFactor } from './session-methods.js';
import {
  STAFF_CHALLENGE_TTL_MS,
  staffPasskeysOf,
  storeStaffChallenge,
} from './staff-passkeys.service.js';

/**
 * The `amr` value a second-factor passkey adds (RFC 8176 §2): `pop`, proof of possession of a
 * key. Registration asks for no attestation, so we cannot tell a hardware-bound key (`hwk`) from
 * a synced or software one (`swk`); `pop` is the value the RFC gives for exactly that case.
 */
export const PASSKEY_AMR = 'pop';

/**
 * Options for `navigator.credentials.get` limited to the signed-in user's own second-factor
 * passkeys; the challenge is bound to this user and this session, used once, five minutes.
 */
export async function passkeySecondFactorOptions(
  db: Database,
  actor: UserActor,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = await staffPasskeysOf(db, actor.userId);
  if (keys.length === 0) throw new ConflictError('No passkey is set up for this account');
  const options = await generateAuthenticationOptions({
    rpID: rp.rp_id,
    allowCredentials: keys.map((k) => ({ id: k.credentialId })),
    userVerification: 'preferred',
    timeout: STAFF_CHALLENGE_TTL_MS,
  });
  await db.transaction((tx) => storeStaffChallenge(tx, actor, 'assert', options.challenge));
  return options;
}

/**
 * Proves the second factor for this session (after sign-in, or as a step-up) with a passkey
 * assertion: it must answer a live challenge issued to this user for this session, come from one
 * of the user's own second-factor passkeys, and verify with its key and a counter that moved on.
 * The session's `amr` gains `pop` and its `mfaAt` becomes now. A refusal is audited
 * (`mfa.verify_failed`) and changes nothing else; the challenge is spent either way, so an
 * assertion (or a guess) is tried at most once.
 */
export async function verifySecondFactorWithPasskey(
  db: Database,
  actor: UserActor,
  rp: RelyingParty,
  input: unknown,
): Promise<Date> {
  const response = parseInput(AssertionResponseSchema, input) as AuthenticationResponseJSON;
  const refuse = async (reason: string): Promise<never> => {
    await db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'mfa.verify_failed',
        targetType: 'user',
        targetId: actor.userId,
        payload: { reason: `passkey_${reason}` },
      }),
    );
    throw new ValidationError('That passkey could not confirm it is you; try again', [
      { field: 'response', message: reason.replace(/_/g, ' ') },
    ]);
  };
  const challenge = signedChallenge(response.response.clientDataJSON);
  // Spent in its own statement, before verifying: a failed attempt must not leave it usable.
  const [pending] =
    challenge && actor.sessionId
      ? await db
          .delete(staffPasskeyChallenges)
          .where(
            and(
              eq(staffPasskeyChallenges.challenge, challenge),
              eq(staffPasskeyChallenges.userId, actor.userId),
              eq(staffPasskeyChallenges.sessionId, actor.sessionId),
              eq(staffPasskeyChallenges.purpose, 'assert'),
              gt(staffPasskeyChallenges.expiresAt, new Date()),
            ),
          )
          .returning()
      : [];
  if (!pending) return refuse('stale_challenge');
  const [key] = (await staffPasskeysOf(db, actor.userId)).filter(
    (k) => k.credentialId === response.id,
  );
  if (!key) return refuse('not_your_passkey');
  let counter: number;
  try {
    counter = await verifyAssertion(rp, response, pending.challenge, key);
  } catch {
    return refuse('signature');
  }
  return db.transaction(async (tx) => {
    await tx
      .update(staffPasskeys)
      .set({ counter, lastUsedAt: new Date() })
      .where(eq(staffPasskeys.id, key.id));
    const at = await recordSecondFactor(tx, actor, PASSKEY_AMR);
    await appendAuditEvent(tx, actor, {
      action: 'mfa.verify',
      targetType: 'session',
      targetId: actor.sessionId ?? undefined,
      payload: { method: 'passkey', passkey: key.id },
    });
    return at;
  });
}
