import { openSignedInSession } from '../identity/session-methods.js';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { and, count, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { RateLimitedError, UnauthenticatedError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { findUser, type LoginResult } from '../accounts/accounts.service.js';
import {
  chargeLoginAttempt,
  recordLoginAttempt,
  settleSuccessfulLogin,
  type LoginLimits,
} from '../accounts/login-rate-limit.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { participants } from '../participants/participants.tables.js';
import { signedChallenge, type RelyingParty, AssertionResponseSchema } from '../../lib/webauthn.js';
import { participantPasskeys, passkeySignInChallenges } from './passkeys.tables.js';

const CHALLENGE_TTL_MS = 5 * 60_000;
/**
 * Anyone may ask for a sign-in challenge, so the table of pending ones is capped: past this many
 * live challenges, new ones are refused until old ones expire (a flood cannot fill the disk).
 */
const MAX_PENDING_CHALLENGES = 10_000;

/** Settings passkey sign-in needs from the configuration. */
export interface PasskeySignInSettings extends LoginLimits {
  sessionTtlMs: number;
}

/**
 * Options for `navigator.credentials.get` with no user named: the browser offers the passkeys it
 * holds for this site (discoverable credentials), and the one chosen says whose it is.
 */
export async function passkeySignInOptions(
  db: Database,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: rp.rp_id,
    userVerification: 'preferred',
    timeout: CHALLENGE_TTL_MS,
  });
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx.delete(passkeySignInChallenges).where(lt(passkeySignInChallenges.expiresAt, now));
    const [live] = await tx.select({ n: count() }).from(passkeySignInChallenges);
    if ((live?.n ?? 0) >= MAX_PENDING_CHALLENGES) throw new RateLimitedError(60);
    await tx.insert(passkeySignInChallenges).values({
      challenge: options.challenge,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    });
  });
  return options;
}

/**
 * Signs a participant in with one of their passkeys: the assertion must answer a live challenge
 * from `passkeySignInOptions` (used once), come from an active passkey, and verify against its
 * key for this relying party; the participant's account must be enabled. Attempts are charged to
 * the passkey and the client like password logins, and a failure is audited. The session's
 * method is `hwk` (plus `mfa` when the authenticator verified the user: a PIN or biometric).
 * `device` is the short description the session list shows, or null.
 */
export async function signInWithPasskey(
  db: Database,
  rp: RelyingParty,
  settings: PasskeySignInSettings,
  clientKey: string,
  input: unknown,
  device: string | null = null,
): Promise<LoginResult> {
  const response = parseInput(AssertionResponseSchema, input) as AuthenticationResponseJSON;
  const throttleKey = `passkey:${response.id}`;
  await chargeLoginAttempt(db, settings, throttleKey, clientKey);
  const fail = async (reason: string, userId?: string): Promise<never> => {
    await db.transaction(async (tx) => {
      await recordLoginAttempt(tx, throttleKey, clientKey, false);
      await appendAuditEvent(tx, null, {
        action: 'auth.login_failed',
        targetType: userId ? 'user' : undefined,
        targetId: userId,
        payload: { method: 'passkey', reason },
      });
    });
    throw new UnauthenticatedError(
      'That passkey could not sign you in. Try again or use your password.',
    );
  };

  const challenge = signedChallenge(response.response.clientDataJSON);
  const [pending] = challenge
    ? await db
        .delete(passkeySignInChallenges)
        .where(
          and(
            eq(passkeySignInChallenges.challenge, challenge),
            gt(passkeySignInChallenges.expiresAt, new Date()),
          ),
        )
        .returning()
    : [];
  if (!pending) return fail('challenge');

  const [key] = await db
    .select({ passkey: participantPasskeys, userId: participants.userId })
    .from(participantPasskeys)
    .innerJoin(participants, eq(participants.id, participantPasskeys.participantId))
    .where(
      and(eq(participantPasskeys.credentialId, response.id), isNull(participantPasskeys.removedAt)),
    );
  if (!key?.userId) return fail('unknown_passkey');

  let verified = false;
  let newCounter = key.passkey.counter;
  let userVerified = false;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rp_id,
      credential: {
        id: key.passkey.credentialId,
        publicKey: Buffer.from(key.passkey.publicKeyCose, 'base64url'),
        counter: key.passkey.counter,
      },
      requireUserVerification: false,
    });
    verified = result.verified;
    newCounter = result.authenticationInfo.newCounter;
    userVerified = result.authenticationInfo.userVerified;
  } catch {
    verified = false;
  }
  if (!verified) return fail('signature', key.userId);

  const user = await findUser(db, key.userId);
  if (!user || user.disabledAt !== null) return fail('disabled', key.userId);

  return db.transaction(async (tx) => {
    await recordLoginAttempt(tx, throttleKey, clientKey, true);
    await settleSuccessfulLogin(tx, settings, throttleKey, clientKey);
    await tx
      .update(participantPasskeys)
      .set({ counter: newCounter })
      .where(eq(participantPasskeys.id, key.passkey.id));
    const session = await openSignedInSession(
      tx,
      user,
      { ttlMs: settings.sessionTtlMs, device },
      {
        amr: userVerified ? ['hwk', 'mfa'] : ['hwk'],
        multiFactor: userVerified,
        audit: { method: 'passkey', passkeyId: key.passkey.id },
      },
    );
    return { token: session.token, expiresAt: session.expiresAt, user };
  });
}
