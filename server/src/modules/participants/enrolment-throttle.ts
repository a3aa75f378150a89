import type { Queryable } from '../../db/database.js';
import { chargeAttempt, refundAttempt, type ThrottlePolicy } from '../accounts/attempt-throttle.js';

// Codes have ≈79 bits, so guessing is hopeless anyway; the throttle keeps it that way and keeps
// a guessing script from costing the server a transaction per try. A person mistyping gets ten
// free tries, then waits a second, two, four… up to fifteen minutes.
const PER_CLIENT: ThrottlePolicy = {
  freeFailures: 10,
  windowMs: 3_600_000,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
};
// Across all clients (many addresses, one campaign): a generous allowance, and short waits, so
// real enrolments are at worst delayed by seconds, never locked out for long.
const OVERALL: ThrottlePolicy = {
  freeFailures: 200,
  windowMs: 3_600_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};
const OVERALL_KEY = 'enrol:all';
const clientKeyOf = (clientKey: string) => `enrol:client:${clientKey}`;

/**
 * Charges an enrolment attempt to the client and to enrolment overall, before the code is
 * looked up (atomically, like logins). Throws RateLimitedError while either must wait.
 */
export async function chargeEnrolmentAttempt(db: Queryable, clientKey: string): Promise<void> {
  await chargeAttempt(db, clientKeyOf(clientKey), PER_CLIENT);
  await chargeAttempt(db, OVERALL_KEY, OVERALL);
}

/** A good code: the attempt is given back, so successful enrolments never slow anyone. */
export async function refundEnrolmentAttempt(db: Queryable, clientKey: string): Promise<void> {
  await refundAttempt(db, clientKeyOf(clientKey), PER_CLIENT);
  await refundAttempt(db, OVERALL_KEY, OVERALL);
}
