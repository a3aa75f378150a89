import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { emailSchema, idSchema, nameSchema, passwordSchema } from '../../lib/validators.js';
import { insertUser, type UserRecord } from '../accounts/accounts.service.js';
import { users } from '../accounts/accounts.tables.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../audit/audit.service.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import {
  assertCanListParticipants,
  assertCanManageParticipants,
  assertCanReadParticipant,
} from './participants.policy.js';
import { enrolmentCodes, participants } from './participants.tables.js';
import { signedInParticipant } from './signed-in-participant.js';
import { enrolmentCodeDigest, newEnrolmentCode, newPseudonym } from './enrolment-code.js';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const PARTICIPANT_STATUSES = ['invited', 'enrolled', 'withdrawn'] as const;

/** A participant record (pseudonymous: no names or contact details are kept here). */
export type ParticipantRecord = typeof participants.$inferSelect;

const ENROLMENT_CODE_TTL_MS = 30 * 24 * 3600_000;

export const CreateParticipantInput = z.object({
  pseudonym: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/, {
      message: 'must be 3-64 letters, digits, dot, dash or underscore',
    })
    .nullish(),
  sex: z.enum(SEXES),
  birthYear: z.number().int().min(1900).max(new Date().getUTCFullYear()).nullish(),
  /** The enrolling site; only the platform itself (seeding, import) names one. */
  site: z.string().trim().min(1).max(200).nullish(),
});

/** The site a new participant belongs to: the enrolling staff member's institution. */
async function enrollingSite(tx: Tx, actor: Actor | null, named: string | null | undefined) {
  if (actor?.kind !== 'user') return named ?? null;
  const [me] = await tx
    .select({ institution: users.institution })
    .from(users)
    .where(eq(users.id, actor.userId));
  return me?.institution ?? null;
}

/** Registers a participant record (steward); the participant links an account later with a code. */
export async function createParticipant(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ParticipantRecord> {
  assertCanManageParticipants(actor);
  const data = parseInput(CreateParticipantInput, input);
  const pseudonym = data.pseudonym ?? newPseudonym();
  const [clash] = await tx
    .select({ id: participants.id })
    .from(participants)
    .where(eq(participants.pseudonym, pseudonym));
  if (clash) throw new ConflictError(`Pseudonym ${pseudonym} is already in use`);
  try {
    const [row] = await tx
      .insert(participants)
      .values({
        id: randomUUID(),
        pseudonym,
        sex: data.sex,
        birthYear: data.birthYear ?? null,
        status: 'invited',
        site: await enrollingSite(tx, actor, data.site),
      })
      .returning();
    await recordCohortChange(tx, 'participant', row!.num);
    await appendParticipantEvent(tx, actor, 'participant.create', row!.id);
    return row!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`Pseudonym ${pseudonym} is already in use`);
    throw error;
  }
}

/** Reads one participant record; audited, and "not found" for anyone who may not see it. */
export async function getParticipant(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
): Promise<ParticipantRecord> {
  const participantId = parseInput(idSchema, id);
  const [row] = await tx.select().from(participants).where(eq(participants.id, participantId));
  if (!row) throw new NotFoundError('Participant');
  assertCanReadParticipant(actor, row);
  return auditedRead(tx, actor, row);
}

/**
 * The participant record linked to the signed-in participant, or null before enrolment; for a
 * representative acting for someone, that person's record (the representation checked now).
 */
export async function getOwnParticipant(
  tx: Tx,
  actor: UserActor,
): Promise<ParticipantRecord | null> {
  if (!hasRole(actor, 'participant')) return null;
  const [row] = actor.actingFor
    ? [await signedInParticipant(tx, actor, { lock: false })]
    : await tx.select().from(participants).where(eq(participants.userId, actor.userId));
  if (!row) return null;
  return auditedRead(tx, actor, row);
}

/** Records that the actor read the participant's record (audit: every read of it), then answers it. */
async function auditedRead(
  tx: Tx,
  actor: Actor | null,
  row: ParticipantRecord,
): Promise<ParticipantRecord> {
  await appendParticipantEvent(tx, actor, 'participant.read', row.id);
  return row;
}

export const ListParticipantsInput = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});

/** A page of participant records (stewards, boards, admins); the read is audited. */
export async function listParticipants(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<{ items: ParticipantRecord[]; total: number }> {
  assertCanListParticipants(actor);
  const { limit, offset } = parseInput(ListParticipantsInput, input ?? {});
  const items = await tx
    .select()
    .from(participants)
    .orderBy(asc(participants.pseudonym))
    .limit(limit)
    .offset(offset);
  const [total] = await tx.select({ n: count() }).from(participants);
  await appendAuditEvent(tx, actor, {
    action: 'participant.list',
    targetType: 'participant',
    payload: { limit, offset, returned: items.length },
  });
  return { items, total: total?.n ?? 0 };
}

/** Issues a one-time enrolment code for a participant record; the code is shown once. */
export async function createEnrolmentCode(
  tx: Tx,
  actor: Actor | null,
  participantId: unknown,
): Promise<{ code: string; expiresAt: Date; participant: ParticipantRecord }> {
  assertCanManageParticipants(actor);
  const id = parseInput(idSchema, participantId);
  const [participant] = await tx.select().from(participants).where(eq(participants.id, id));
  if (!participant) throw new NotFoundError('Participant');
  if (participant.status === 'withdrawn') throw new ConflictError('This participant has withdrawn');
  if (participant.userId !== null)
    throw new ConflictError('This participant already has an account');
  const code = newEnrolmentCode();
  const expiresAt = new Date(Date.now() + ENROLMENT_CODE_TTL_MS);
  const codeId = randomUUID();
  await tx.insert(enrolmentCodes).values({
    id: codeId,
    participantId: id,
    codeHash: enrolmentCodeDigest(code),
    createdBy: actor?.kind === 'user' ? actor.userId : null,
    expiresAt,
  });
  await appendAuditEvent(tx, actor, {
    action: 'enrolment_code.create',
    targetType: 'enrolment_code',
    targetId: codeId,
    participantId: id,
    payload: { expiresAt: expiresAt.toISOString() },
  });
  return { code, expiresAt, participant };
}

export const EnrolInput = z.object({
  code: z.string().trim().min(1, { message: 'is required' }).max(40),
  email: emailSchema,
  password: passwordSchema,
  displayName: nameSchema,
});

/**
 * A participant creates their account with the code their study site gave them. One
 * transaction: the account, the link, the used code and the audit event land together or not at all.
 */
export async function enrolWithCode(
  tx: Tx,
  input: unknown,
  options: { emailVerified?: boolean } = {},
): Promise<{ user: UserRecord; participant: ParticipantRecord }> {
  const data = parseInput(EnrolInput, input);
  const [code] = await tx
    .select()
    .from(enrolmentCodes)
    .where(
      and(
        eq(enrolmentCodes.codeHash, enrolmentCodeDigest(data.code)),
        isNull(enrolmentCodes.usedAt),
        gt(enrolmentCodes.expiresAt, new Date()),
      ),
    )
    .for('update');
  if (!code) {
    throw new ValidationError('This enrolment code is not valid, already used, or expired', [
      { field: 'code', message: 'not valid, already used, or expired' },
    ]);
  }
  const [participant] = await tx
    .select()
    .from(participants)
    .where(eq(participants.id, code.participantId))
    .for('update');
  if (!participant || participant.userId !== null || participant.status === 'withdrawn') {
    throw new ConflictError('This participant record cannot be linked to a new account');
  }
  const user = await insertUser(
    tx,
    { ...data, role: 'participant', institution: null },
    { emailVerified: options.emailVerified ?? false },
  );
  const now = new Date();
  await tx
    .update(enrolmentCodes)
    .set({ usedAt: now, usedBy: user.id })
    .where(eq(enrolmentCodes.id, code.id));
  const [linked] = await tx
    .update(participants)
    .set({ userId: user.id, status: 'enrolled', enrolledAt: now })
    .where(eq(participants.id, participant.id))
    .returning();
  const actor: UserActor = { kind: 'user', userId: user.id, role: 'participant', sessionId: null };
  await recordCohortChange(tx, 'participant', participant.num);
  await appendParticipantEvent(tx, actor, 'participant.enrol', participant.id, {
    userId: user.id,
    enrolmentCodeId: code.id,
  });
  return { user, participant: linked! };
}

/** Mirrors the participant's discoverable preference onto their record (consent keeps it in step). */
export async function setParticipantDiscoverable(
  tx: Tx,
  participantId: string,
  discoverable: boolean,
): Promise<void> {
  await tx.update(participants).set({ discoverable }).where(eq(participants.id, participantId));
}

/** Marks the participant withdrawn as of `withdrawnAt` (the withdrawal use case calls this). */
export async function markParticipantWithdrawn(
  tx: Tx,
  participantId: string,
  withdrawnAt: Date,
): Promise<void> {
  await tx
    .update(participants)
    .set({ status: 'withdrawn', withdrawnAt })
    .where(eq(participants.id, participantId));
}

/**
 * Erases what the participant record says about the person (erasure, GDPR Art. 17): their
 * pseudonym is replaced by a random one nobody holds, sex and birth year go, the link to their
 * account and their enrolment codes are deleted, and the record stays withdrawn and out of every
 * count. The row itself stays, as the pseudonymous anchor of the audit trail and of past exports.
 */
export async function eraseParticipantRecord(tx: Tx, participantId: string): Promise<void> {
  await tx.delete(enrolmentCodes).where(eq(enrolmentCodes.participantId, participantId));
  const [row] = await tx
    .update(participants)
    .set({
      pseudonym: `ERASED-${randomUUID()}`,
      sex: 'unknown',
      birthYear: null,
      userId: null,
      status: 'withdrawn',
      discoverable: false,
      withdrawnAt: sql`coalesce(${participants.withdrawnAt}, now())`,
    })
    .where(eq(participants.id, participantId))
    .returning({ num: participants.num });
  if (row) await recordCohortChange(tx, 'participant', row.num);
}
