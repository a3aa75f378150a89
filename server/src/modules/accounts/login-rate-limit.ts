import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { loginAttempts } from './accounts.tables.js';
import {
  chargeAttempt,
  clearAttempts,
  refundAttempt,
  type ThrottlePolicy,
} from './attempt-throttle.js';

/**
 * Limits on failed logins: `maxFailures` free failures per account, then exponential back-off
 * from one second up to `windowMs`; failures older than `windowMs` are forgotten.
 */
export interface LoginLimits {
  maxFailures: number;
  windowMs: number;
}

// A client address may try several accounts (a shared NAT, a front desk) before it is slowed.
const CLIENT_FACTOR = 4;
const BASE_DELAY_MS = 1_000;
// A client address is slowed for at most a minute at a time: behind a proxy that was not set
// up to forward addresses, many people share one, and none of them may be locked out for long.
const CLIENT_MAX_DELAY_MS = 60_000;

/** The digest under which an e-mail's attempts are counted; the address itself is not stored. */
export function emailKey(email: string): string {
  return createHash('sha256').update(`login:${email.trim().toLowerCase()}`).digest('hex');
}

function accountPolicy(limits: LoginLimits): ThrottlePolicy {
  return {
    freeFailures: limits.maxFailures,
    windowMs: limits.windowMs,
    baseDelayMs: BASE_DELAY_MS,
    maxDelayMs: limits.windowMs,
  };
}

function clientPolicy(limits: LoginLimits): ThrottlePolicy {
  return {
    freeFailures: limits.maxFailures * CLIENT_FACTOR,
    windowMs: limits.windowMs,
    baseDelayMs: BASE_DELAY_MS,
    maxDelayMs: Math.min(CLIENT_MAX_DELAY_MS, limits.windowMs),
  };
}

const accountThrottleKey = (email: string) => `login:account:${emailKey(email)}`;
const clientThrottleKey = (clientKey: string) => `login:client:${clientKey}`;

/**
 * Charges this login attempt to the client address and to the account before the password is
 * checked (atomically, so concurrent guesses are counted too). Throws RateLimitedError while
 * either must wait.
 */
export async function chargeLoginAttempt(
  db: Queryable,
  limits: LoginLimits,
  email: string,
  clientKey: string,
): Promise<void> {
  await chargeAttempt(db, clientThrottleKey(clientKey), clientPolicy(limits));
  await chargeAttempt(db, accountThrottleKey(email), accountPolicy(limits));
}

/** A good password: the account starts from zero, and the client gets its charge back. */
export async function settleSuccessfulLogin(
  db: Queryable,
  limits: LoginLimits,
  email: string,
  clientKey: string,
): Promise<void> {
  await clearAttempts(db, accountThrottleKey(email));
  await refundAttempt(db, clientThrottleKey(clientKey), clientPolicy(limits));
}

/** Records one attempt for the record (who tried when, by digest); limits use the throttles. */
export async function recordLoginAttempt(
  db: Queryable,
  email: string,
  clientKey: string,
  succeeded: boolean,
): Promise<void> {
  await db.insert(loginAttempts).values({
    id: randomUUID(),
    emailKey: emailKey(email),
    clientKey,
    succeeded,
  });
}
