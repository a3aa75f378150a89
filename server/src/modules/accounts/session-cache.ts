import type { UserActor } from '../actors/actor.js';
import type { UserRecord } from './user-record.js';

/**
 * How long this process trusts a session it has already looked up. Every request of a signed-in
 * user resolves its token, and the lookup was a round trip to the database for each of them
 * (issue #19: per-request overhead). Anything this process does that ends a session or changes
 * who it stands for (sign-out, an ended session, disabling, a role change, erasure) forgets the
 * whole cache at once, so such a change is immediate here. A change made through another API
 * instance, or with SQL around the service, is seen here within this many milliseconds.
 */
export const SESSION_CACHE_MS = 2_000;

/** Bounds the memory a flood of distinct tokens can take; the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

/** What a lookup found: the acting user, their account and the session's own clock facts. */
export interface CachedSession {
  viewer: UserActor;
  /** The account as the lookup read it (frozen: requests share it). */
  account: Readonly<UserRecord>;
  expiresAt: number;
  lastSeenAt: number;
}

interface Entry extends CachedSession {
  cachedAt: number;
}

const entries = new Map<string, Entry>();
// A lookup that started before a `forgetCachedSessions` must not store what it read: the read
// may predate the change that made the cache forget. (A lookup racing the revoking transaction
// itself, after the forget but before the commit, can still store the old row; the second forget
// after the commit (graphql/run.ts) drops it for GraphQL writes, and SESSION_CACHE_MS bounds the
// window for writes made elsewhere: the CLI, another instance.)
let generation = 0;

/** The generation a lookup starts in; pass it back to `rememberSession`. */
export function sessionCacheGeneration(): number {
  return generation;
}

/** A live cached session for this token digest, or undefined (unknown, stale or expired). */
export function cachedSession(tokenDigest: string, now = Date.now()): CachedSession | undefined {
  const entry = entries.get(tokenDigest);
  if (!entry) return undefined;
  if (now - entry.cachedAt >= SESSION_CACHE_MS || entry.expiresAt <= now) {
    entries.delete(tokenDigest);
    return undefined;
  }
  return entry;
}

/** Remembers a session found by a lookup that began in `startedIn` (see above). */
export function rememberSession(
  tokenDigest: string,
  session: CachedSession,
  startedIn: number,
  now = Date.now(),
): void {
  if (startedIn !== generation) return;
  entries.delete(tokenDigest);
  entries.set(tokenDigest, { ...session, cachedAt: now });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/**
 * Forgets every cached session. Called by each accounts write that ends a session or changes an
 * account (role, standing, anything `me` answers); also for tests and tools that change sessions
 * with SQL. A write calls it inside its transaction, and `inTransaction` (graphql/run.ts) calls
 * it again once a transaction that called it has committed, so a lookup that ran while the write
 * was still open cannot keep serving what it read.
 */
export function forgetCachedSessions(): void {
  generation += 1;
  entries.clear();
}
