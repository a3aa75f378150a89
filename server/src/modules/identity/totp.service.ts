import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import { z } from 'zod';
import type { Database, Queryable, Tx } from '../../db/database.js';
import { ConflictError, RateLimitedError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { findUser } from '../accounts/accounts.service.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  recoveryCodes,
  sessionAuth,
  staffPasskeys,
  totpAuthenticators,
} from './identity.tables.js';
import { recordSecondFactor } from './session-methods.js';
import { openTotpSecret, sealTotpSecret } from './totp-secret.js';

/** Wrong codes in a row before the second factor is locked. */
export const MAX_TOTP_FAILURES = 5;
/** How long a locked second factor stays locked. */
export const TOTP_LOCK_MS = 15 * 60_000;
/** Codes one step (30 s) early or late are accepted for clock drift. */
const TOLERANCE_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;

const digest = (code: string) =>
  createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

/**
 * Issues ten fresh one-time recovery codes for the account (older ones are dropped) and answers
 * them: they are shown once, only their digests are kept. Used by whichever second factor is set
 * up first (an authenticator app or a staff passkey).
 */
export async function issueRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString('hex');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
  });
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx
    .insert(recoveryCodes)
    .values(codes.map((c) => ({ id: randomUUID(), userId, codeHash: digest(c) })));
  return codes;
}

/** Which second factors the account has set up: a confirmed authenticator app, passkeys. */
export async function secondFactorsOf(
  db: Queryable,
  userId: string,
): Promise<{ totp: boolean; passkeys: number }> {
  const [row] = await db
    .select({ confirmedAt: totpAuthenticators.confirmedAt })
    .from(totpAuthenticators)
    .where(eq(totpAuthenticators.userId, userId));
  const keys = await db
    .select({ id: staffPasskeys.id })
    .from(staffPasskeys)
    .where(eq(staffPasskeys.userId, userId));
  return { totp: Boolean(row?.confirmedAt), passkeys: keys.length };
}

/**
 * Refuses to add a second factor from a session that has not proved the one the account already
 * has: otherwise a stolen password would be enough to enrol the thief's own authenticator.
 */
export async function assertMayAddSecondFactor(db: Queryable, actor: UserActor): Promise<boolean> {
  const factors = await secondFactorsOf(db, actor.userId);
  const first = !factors.totp && factors.passkeys === 0;
  if (first) return true;
  const [session] = actor.sessionId
    ? await db
        .select({ mfaAt: sessionAuth.mfaAt })
        .from(sessionAuth)
        .where(eq(sessionAuth.sessionId, actor.sessionId))
    : [];
  if (!session?.mfaAt)
    throw new ConflictError('Prove the second factor you already have before adding another');
  return false;
}

/** A TOTP enrolment begun: the secret to put in an authenticator app, as text and as a URI. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * Starts (or restarts) TOTP enrolment for the signed-in user: a new secret, sealed at rest, not
 * used until a code from it is confirmed. Refused when an authenticator is already confirmed.
 */
export async function startTotpEnrolment(tx: Tx, actor: UserActor): Promise<TotpEnrolment> {
  const user = await findUser(tx, actor.userId);
  if (!user) throw new ConflictError('No such account');
  const [existing] = await tx
    .select({ confirmedAt: totpAuthenticators.confirmedAt })
    .from(totpAuthenticators)
    .where(eq(totpAuthenticators.userId, actor.userId));
  if (existing?.confirmedAt) throw new ConflictError('An authenticator is already set up');
  await assertMayAddSecondFactor(tx, actor);
  const secret = generateSecret();
  const sealedSecret = sealTotpSecret(actor.userId, secret);
  await tx
    .insert(totpAuthenticators)
    .values({ userId: actor.userId, sealedSecret })
    .onConflictDoUpdate({
      target: totpAuthenticators.userId,
      set: { sealedSecret, lastStep: null, failures: 0, lockedUntil: null },
    });
  await appendAuditEvent(tx, actor, {
    action: 'mfa.totp.enrol_start',
    targetType: 'user',
    targetId: actor.userId,
  });
  return {
    secret,
    otpauthUri: generateURI({ issuer: 'Consentome', label: user.email, secret }),
  };
}

const CodeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: 'must be 6 digits' }),
});

async function refuse(db: Database, actor: UserActor, reason: string): Promise<never> {
  const locked = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(totpAuthenticators)
      .set({
        failures: sql`${totpAuthenticators.failures} + 1`,
        lockedUntil: sql`case when ${totpAuthenticators.failures} + 1 >= ${MAX_TOTP_FAILURES} then now() + make_interval(secs => ${TOTP_LOCK_MS / 1000}) else ${totpAuthenticators.lockedUntil} end`,
      })
      .where(eq(totpAuthenticators.userId, actor.userId))
      .returning({ failures: totpAuthenticators.failures });
    const lockedNow = (row?.failures ?? 0) === MAX_TOTP_FAILURES;
    await appendAuditEvent(tx, actor, {
      action: lockedNow ? 'mfa.locked' : 'mfa.verify_failed',
      targetType: 'user',
      targetId: actor.userId,
      payload: { reason, failures: row?.failures ?? 0 },
    });
    return lockedNow;
  });
  if (locked) throw new RateLimitedError(TOTP_LOCK_MS / 1000);
  throw new ValidationError('The code is wrong or was already used', [
    { field: 'code', message: 'is wrong or was already used' },
  ]);
}

async function authenticatorOf(db: Queryable, userId: string) {
  const [row] = await db
    .select()
    .from(totpAuthenticators)
    .where(eq(totpAuthenticators.userId, userId));
  return row;
}

/**
 * Checks a TOTP code and takes its time step in one statement, so the same code (or an older
 * one) is never accepted twice, even by two requests at once. Answers false when not accepted.
 */
async function acceptCode(
  db: Database,
  actor: UserActor,
  sealed: string,
  lastStep: number | null,
  code: string,
): Promise<boolean> {
  const result = await verify({
    secret: openTotpSecret(actor.userId, sealed),
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return false;
  const taken = await db
    .update(totpAuthenticators)
    .set({ lastStep: result.timeStep, failures: 0 })
    .where(
      and(
        eq(totpAuthenticators.userId, actor.userId),
        or(isNull(totpAuthenticators.lastStep), lt(totpAuthenticators.lastStep, result.timeStep)),
      ),
    )
    .returning({ userId: totpAuthenticators.userId });
  return taken.length === 1;
}

function assertNotLocked(row: { lockedUntil: Date | null }): void {
  if (row.lockedUntil && row.lockedUntil > new Date())
    throw new RateLimitedError(Math.ceil((row.lockedUntil.getTime() - Date.now()) / 1000));
}

/**
 * Confirms enrolment with a first code from the app: the authenticator becomes active, ten
 * recovery codes are issued (shown once, stored as digests) and this session counts as having
 * proved a second factor.
 */
export async function confirmTotpEnrolment(
  db: Database,
  actor: UserActor,
  input: unknown,
): Promise<string[]> {
  const { code } = parseInput(CodeInput, input);
  const row = await authenticatorOf(db, actor.userId);
  if (!row) throw new ConflictError('Start the enrolment first');
  if (row.confirmedAt) throw new ConflictError('An authenticator is already set up');
  assertNotLocked(row);
  if (!(await acceptCode(db, actor, row.sealedSecret, row.lastStep, code)))
    return refuse(db, actor, 'enrol');
  return db.transaction(async (tx) => {
    await tx
      .update(totpAuthenticators)
      .set({ confirmedAt: new Date() })
      .where(eq(totpAuthenticators.userId, actor.userId));
    const codes = await issueRecoveryCodes(tx, actor.userId);
    await recordSecondFactor(tx, actor, 'otp');
    await appendAuditEvent(tx, actor, {
      action: 'mfa.totp.enrol',
      targetType: 'user',
      targetId: actor.userId,
    });
    return codes;
  });
}

const VerifyInput = z.union([
  CodeInput,
  z.object({ recoveryCode: z.string().trim().min(8).max(40) }),
]);

/**
 * Proves the second factor for this session (sign-in or step-up) with a TOTP code or a one-time
 * recovery code. Five wrong codes in a row lock it for 15 minutes (audited `mfa.locked`); a
 * code is never accepted twice.
 */
export async function verifySecondFactor(
  db: Database,
  actor: UserActor,
  input: unknown,
): Promise<Date> {
  const data = parseInput(VerifyInput, input);
  const row = await authenticatorOf(db, actor.userId);
  const factors = await secondFactorsOf(db, actor.userId);
  // Recovery codes stand in for any second factor; a TOTP code needs an authenticator.
  if ('code' in data ? !factors.totp : !factors.totp && factors.passkeys === 0)
    throw new ConflictError('No authenticator is set up for this account');
  if (row) assertNotLocked(row);
  if ('code' in data) {
    if (!row || !(await acceptCode(db, actor, row.sealedSecret, row.lastStep, data.code)))
      return refuse(db, actor, 'totp');
  } else {
    const [used] = await db
      .update(recoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(recoveryCodes.userId, actor.userId),
          eq(recoveryCodes.codeHash, digest(data.recoveryCode)),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    if (!used) return refuse(db, actor, 'recovery_code');
  }
  return db.transaction(async (tx) => {
    const at = await recordSecondFactor(tx, actor, 'code' in data ? 'otp' : 'rcode');
    await appendAuditEvent(tx, actor, {
      action: 'mfa.verify',
      targetType: 'session',
      targetId: actor.sessionId ?? undefined,
      payload: { method: 'code' in data ? 'otp' : 'recovery_code' },
    });
    return at;
  });
}

/** The second-factor state of the signed-in user and this session. */
export interface SecondFactorStatus {
  /** Any second factor is set up (an authenticator app or a passkey). */
  enrolled: boolean;
  /** An authenticator app (TOTP) is set up. */
  totp: boolean;
  /** How many second-factor passkeys the account has. */
  passkeys: number;
  /** When this session last proved a second factor, or null. */
  sessionVerifiedAt: Date | null;
  /** How this session was authenticated (`amr`). */
  amr: string[];
  recoveryCodesLeft: number;
}

/** Reads the signed-in user's second-factor state. */
export async function secondFactorStatus(
  db: Queryable,
  actor: UserActor,
): Promise<SecondFactorStatus> {
  const [session] = actor.sessionId
    ? await db.select().from(sessionAuth).where(eq(sessionAuth.sessionId, actor.sessionId))
    : [];
  const left = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, actor.userId), isNull(recoveryCodes.usedAt)));
  const factors = await secondFactorsOf(db, actor.userId);
  return {
    enrolled: factors.totp || factors.passkeys > 0,
    ...factors,
    sessionVerifiedAt: session?.mfaAt ?? null,
    amr: session?.amr ?? ['pwd'],
    recoveryCodesLeft: left.length,
  };
}
