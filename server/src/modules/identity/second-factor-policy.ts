import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import type { UserActor } from '../actors/actor.js';
import { sessionAuth } from './identity.tables.js';
import type { IdentitySettings } from '../../lib/identity-settings.js';

/**
 * Root fields a session of an MFA-required role may use before proving its second factor:
 * enough to see who it is, set up or prove the factor, and sign out (here or another device).
 */
export const BEFORE_SECOND_FACTOR = new Set([
  '__typename',
  'me',
  'signInProviders',
  'mySecondFactor',
  'startTotpEnrolment',
  'confirmTotpEnrolment',
  'verifySecondFactor',
  'myStaffPasskeys',
  'staffPasskeyRegistrationOptions',
  'addStaffPasskey',
  'passkeySecondFactorOptions',
  'verifySecondFactorWithPasskey',
  // Confirming one's e-mail address proves only the mailbox, and asks nothing of anyone else.
  'requestEmailVerification',
  'verifyEmail',
  'logout',
  'signOut',
  'logoutEverywhere',
  'mySessions',
  'endSession',
  'changePassword',
]);

/** Why a request may not run yet, or null. */
export type SecondFactorDemand = null | {
  code: 'MFA_REQUIRED' | 'STEP_UP_REQUIRED';
  field: string;
  message: string;
};

/**
 * Decides whether root fields may run for this viewer: an MFA-required role (admins and board
 * members by default) needs a second factor proved in this session for anything outside
 * `BEFORE_SECOND_FACTOR`; a step-up field (voting, revoking, role changes, exports) needs one
 * proved within the step-up age, whatever the role. Anonymous callers are left to the role gates.
 */
export async function secondFactorDemand(
  db: Queryable,
  settings: IdentitySettings,
  viewer: UserActor | null,
  fields: string[],
): Promise<SecondFactorDemand> {
  if (!viewer) return null;
  const mfaRole = settings.mfaRoles.includes(viewer.role);
  const gated = mfaRole ? fields.filter((f) => !BEFORE_SECOND_FACTOR.has(f)) : [];
  const stepUp = fields.filter((f) => settings.stepUpFields.includes(f));
  if (gated.length === 0 && stepUp.length === 0) return null;
  const [session] = viewer.sessionId
    ? await db
        .select({ mfaAt: sessionAuth.mfaAt })
        .from(sessionAuth)
        .where(eq(sessionAuth.sessionId, viewer.sessionId))
    : [];
  const mfaAt = session?.mfaAt ?? null;
  if (gated.length > 0 && mfaAt === null)
    return {
      code: 'MFA_REQUIRED',
      field: gated[0]!,
      message:
        'Your role needs a second factor: set up or prove it (authenticator code or passkey) first.',
    };
  if (
    stepUp.length > 0 &&
    (mfaAt === null || Date.now() - mfaAt.getTime() > settings.stepUpMaxAgeMs)
  )
    return {
      code: 'STEP_UP_REQUIRED',
      field: stepUp[0]!,
      message:
        'This action needs a recent second factor: confirm with your authenticator code or passkey again.',
    };
  return null;
}
