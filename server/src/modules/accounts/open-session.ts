import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { insertUser, type UserRecord } from './accounts.service.js';
import { sessions, users } from './accounts.tables.js';
import type { Role } from '../actors/roles.js';
import { newSessionToken, tokenDigest } from './session-token.js';

/** A session opened by another way of signing in than a password (an institution's provider). */
export interface OpenedSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
}

/** What a new session is opened with, besides its user. */
export interface NewSession {
  /** How long it lives. */
  ttlMs: number;
  /** The short device description shown in the user's session list, or null when unknown. */
  device: string | null;
}

/**
 * Opens a session for `userId` in the caller's transaction; the token is returned once and only
 * its digest is stored. The caller has already authenticated the user and audits the sign-in.
 */
export async function openSession(
  tx: Tx,
  userId: string,
  session: NewSession,
): Promise<OpenedSession> {
  const token = newSessionToken();
  const sessionId = randomUUID();
  const expiresAt = new Date(Date.now() + session.ttlMs);
  await tx.insert(sessions).values({
    id: sessionId,
    tokenHash: tokenDigest(token),
    userId,
    expiresAt,
    device: session.device,
  });
  return { sessionId, token, expiresAt };
}

/** What a federated (institutional) account starts with. */
export interface FederatedUserInput {
  email: string;
  displayName: string;
  role: Role;
  institution: string | null;
  /** A pending account is disabled until an administrator enables it. */
  pending: boolean;
}

/**
 * Creates an account for someone who signs in through their institution. It gets a random
 * password nobody knows (the column is required; signing in with a password needs a reset).
 * Its address counts as verified: accounts are only created from a provider that asserts
 * `email_verified: true`.
 */
export async function insertFederatedUser(tx: Tx, input: FederatedUserInput): Promise<UserRecord> {
  const user = await insertUser(
    tx,
    {
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      institution: input.institution,
      password: randomBytes(32).toString('base64url'),
    },
    { emailVerified: true },
  );
  if (!input.pending) return user;
  const disabledAt = new Date();
  await tx.update(users).set({ disabledAt }).where(eq(users.id, user.id));
  return { ...user, disabledAt };
}

/** Reads an account's password hash, for a re-authentication the caller throttles. */
export async function passwordHashOf(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return row?.passwordHash ?? null;
}
