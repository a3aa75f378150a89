import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, gt } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { loginAttempts } from './accounts.tables.js';

/** Limits on failed logins: per e-mail, and (more loosely) per client address. */
export interface LoginLimits {
  maxFailures: number;
  windowMs: number;
}

// A client address may try several accounts (a shared NAT, a front desk) before it is slowed.
const CLIENT_FACTOR = 4;

/** The digest under which an e-mail's attempts are counted; the address itself is not stored. */
export function emailKey(email: string): string {
  return createHash('sha256').update(`login:${email.trim().toLowerCase()}`).digest('hex');
}

/** Throws RateLimitedError when this e-mail or client has failed too often in the window. */
export async function assertLoginAllowed(
  db: Queryable,
  limits: LoginLimits,
  email: string,
  clientKey: string,
): Promise<void> {
  const since = new Date(Date.now() - limits.windowMs);
  const failures = async (
    column: typeof loginAttempts.emailKey | typeof loginAttempts.clientKey,
    key: string,
  ) => {
    const [row] = await db
      .select({ n: count() })
      .from(loginAttempts)
      .where(
        and(
          eq(column, key),
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.attemptedAt, since),
        ),
      );
    return row?.n ?? 0;
  };
  if (
    (await failures(loginAttempts.emailKey, emailKey(email))) >= limits.maxFailures ||
    (await failures(loginAttempts.clientKey, clientKey)) >= limits.maxFailures * CLIENT_FACTOR
  ) {
    throw new RateLimitedError(limits.windowMs / 1000);
  }
}

/** Records one attempt; failures count towards the limit, a success is kept for the record. */
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
