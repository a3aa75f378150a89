import { randomUUID } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable, Tx } from '../../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { registrationOptions, verifyRegistration, type RelyingParty } from '../../lib/webauthn.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { sessionAuth, staffPasskeyChallenges, staffPasskeys } from './identity.tables.js';
import { recordSecondFactor } from './session-methods.js';
import { assertMayAddSecondFactor, issueRecoveryCodes } from './totp.service.js';

/** How long a registration or assertion challenge stays usable. */
export const STAFF_CHALLENGE_TTL_MS = 5 * 60_000;

type StaffPasskeyRow = typeof staffPasskeys.$inferSelect;

/** A second-factor passkey as its owner sees it. */
export interface StaffPasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A passkey just added, with the recovery codes issued when it is the account's first factor. */
export interface StaffPasskeyEnrolment {
  passkey: StaffPasskeyView;
  /** Ten one-time codes, shown only now; empty when the account already had a second factor. */
  recoveryCodes: string[];
}

const view = (r: StaffPasskeyRow): StaffPasskeyView => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt,
  lastUsedAt: r.lastUsedAt,
});

const Name = z.string().trim().min(1, '1 to 60 characters').max(60, '1 to 60 characters');
const AddInput = z.object({ name: Name });
const RenameInput = z.object({ id: z.string().uuid(), name: Name });

/**
 * Participants keep their chain-anchored passkeys (the passkeys module); these are for every
 * other role, which signs in with a password or an institution and proves a second factor.
 */
function assertStaff(actor: UserActor): void {
  if (actor.role === 'participant')
    throw new ForbiddenError('Participants manage their passkeys on their own page');
}

/** The account's second-factor passkeys, oldest first. */
export function staffPasskeysOf(db: Queryable, userId: string): Promise<StaffPasskeyRow[]> {
  return db
    .select()
    .from(staffPasskeys)
    .where(eq(staffPasskeys.userId, userId))
    .orderBy(asc(staffPasskeys.createdAt));
}

/** The signed-in staff user's second-factor passkeys. */
export async function listStaffPasskeys(
  db: Queryable,
  actor: UserActor,
): Promise<StaffPasskeyView[]> {
  assertStaff(actor);
  return (await staffPasskeysOf(db, actor.userId)).map(view);
}

/**
 * Stores a challenge for this user (and, for an assertion, this session), dropping the user's
 * expired ones so the table stays small.
 */
export async function storeStaffChallenge(
  tx: Tx,
  actor: UserActor,
  purpose: 'register' | 'assert',
  challenge: string,
): Promise<void> {
  const now = new Date();
  await tx
    .delete(staffPasskeyChallenges)
    .where(
      and(
        eq(staffPasskeyChallenges.userId, actor.userId),
        lt(staffPasskeyChallenges.expiresAt, now),
      ),
    );
  await tx.insert(staffPasskeyChallenges).values({
    challenge,
    userId: actor.userId,
    sessionId: purpose === 'assert' ? actor.sessionId : null,
    purpose,
    expiresAt: new Date(now.getTime() + STAFF_CHALLENGE_TTL_MS),
  });
}

/**
 * Options for `navigator.credentials.create` to add a second-factor passkey. Refused when the
 * account already has a second factor this session has not proved.
 */
export async function staffPasskeyRegistrationOptions(
  tx: Tx,
  actor: UserActor,
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  assertStaff(actor);
  await assertMayAddSecondFactor(tx, actor);
  const existing = await staffPasskeysOf(tx, actor.userId);
  // The authenticator learns the account's record id only, never a name or an address.
  const options = await registrationOptions(
    rp,
    actor.userId,
    existing.map((k) => k.credentialId),
  );
  await storeStaffChallenge(tx, actor, 'register', options.challenge);
  return options;
}

/**
 * Adds a second-factor passkey from a registration answering this user's live registration
 * challenge (spent here). The first second factor of an account also issues recovery codes and
 * counts as proved for this session, as confirming an authenticator app does. One transaction;
 * audited. Nothing changes when the registration does not verify.
 */
export async function addStaffPasskey(
  tx: Tx,
  actor: UserActor,
  rp: RelyingParty,
  input: { response: RegistrationResponseJSON; name: string },
): Promise<StaffPasskeyEnrolment> {
  assertStaff(actor);
  const { name } = parseInput(AddInput, { name: input.name });
  const first = await assertMayAddSecondFactor(tx, actor);
  const pending = await tx
    .delete(staffPasskeyChallenges)
    .where(
      and(
        eq(staffPasskeyChallenges.userId, actor.userId),
        eq(staffPasskeyChallenges.purpose, 'register'),
      ),
    )
    .returning();
  const live = pending.filter((p) => p.expiresAt.getTime() > Date.now());
  if (live.length === 0) throw new ConflictError('The passkey request expired; start again');
  let registered;
  let lastError = 'the registration does not verify';
  for (const challenge of live) {
    try {
      registered = await verifyRegistration(rp, input.response, challenge.challenge);
      break;
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  if (!registered)
    throw new ValidationError(`The passkey was not accepted: ${lastError}`, [
      { field: 'response', message: lastError },
    ]);
  const [row] = await tx
    .insert(staffPasskeys)
    .values({
      id: randomUUID(),
      userId: actor.userId,
      credentialId: registered.credentialId,
      publicKeyCose: Buffer.from(registered.publicKey).toString('base64url'),
      counter: registered.counter,
      name,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError('This passkey is already registered');
  const recoveryCodes = first ? await issueRecoveryCodes(tx, actor.userId) : [];
  // Registering proves possession of the new key, as a first TOTP code does for an app.
  if (first) await recordSecondFactor(tx, actor, 'pop');
  await appendAuditEvent(tx, actor, {
    action: 'mfa.passkey.add',
    targetType: 'user',
    targetId: actor.userId,
    payload: { passkey: row.id, first },
  });
  return { passkey: view(row), recoveryCodes };
}

async function ownKey(tx: Tx, actor: UserActor, id: string): Promise<StaffPasskeyRow> {
  const [key] = await tx
    .select()
    .from(staffPasskeys)
    .where(and(eq(staffPasskeys.id, id), eq(staffPasskeys.userId, actor.userId)));
  // Another user's key answers "not found", so its existence is not leaked.
  if (!key) throw new NotFoundError('Passkey');
  return key;
}

/** Renames one of the signed-in user's second-factor passkeys; audited. */
export async function renameStaffPasskey(
  tx: Tx,
  actor: UserActor,
  input: unknown,
): Promise<StaffPasskeyView> {
  assertStaff(actor);
  const { id, name } = parseInput(RenameInput, input);
  await ownKey(tx, actor, id);
  const [row] = await tx
    .update(staffPasskeys)
    .set({ name })
    .where(eq(staffPasskeys.id, id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'mfa.passkey.rename',
    targetType: 'user',
    targetId: actor.userId,
    payload: { passkey: id },
  });
  return view(row!);
}

/**
 * Removes one of the signed-in user's second-factor passkeys. The session must have proved a
 * second factor (a password alone cannot take a factor away); audited.
 */
export async function removeStaffPasskey(
  tx: Tx,
  actor: UserActor,
  input: { id: string },
): Promise<StaffPasskeyView> {
  assertStaff(actor);
  const key = await ownKey(tx, actor, input.id);
  const [session] = actor.sessionId
    ? await tx
        .select({ mfaAt: sessionAuth.mfaAt })
        .from(sessionAuth)
        .where(eq(sessionAuth.sessionId, actor.sessionId))
    : [];
  if (!session?.mfaAt)
    throw new ConflictError('Prove your second factor in this session before removing a passkey');
  await tx.delete(staffPasskeys).where(eq(staffPasskeys.id, key.id));
  await appendAuditEvent(tx, actor, {
    action: 'mfa.passkey.remove',
    targetType: 'user',
    targetId: actor.userId,
    payload: { passkey: key.id },
  });
  return view(key);
}
