import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { emailSchema, idSchema } from '../../lib/validators.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { clinicianAuthorisations } from './record.tables.js';

/** An authorisation as the participant (or the clinician) sees it. */
export interface ClinicianAuthorisationView {
  id: string;
  clinicianName: string;
  clinicianEmail: string;
  institution: string | null;
  canRead: boolean;
  canAppend: boolean;
  startsAt: Date;
  endsAt: Date;
  revokedAt: Date | null;
  /** True while it is neither revoked nor past its end. */
  active: boolean;
}

const authoriseSchema = z
  .object({
    clinicianEmail: emailSchema,
    canRead: z.boolean(),
    canAppend: z.boolean(),
    until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-06-30' })
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'is not a date' }),
  })
  .refine((a) => a.canRead || a.canAppend, {
    path: ['canRead'],
    message: 'choose reading, appending or both',
  });

const isActive = (row: { revokedAt: Date | null; endsAt: Date }, now: Date) =>
  row.revokedAt === null && row.endsAt > now;

/**
 * The signed-in participant authorises the clinician with that e-mail to read and/or append to
 * their record until the end of `until` (UTC). An address that is not a clinician's answers
 * "not found". A new authorisation replaces an active one for the same clinician (revoked now).
 */
export async function authoriseClinician(
  tx: Tx,
  actor: Actor | null,
  input: { clinicianEmail: string; canRead: boolean; canAppend: boolean; until: string },
): Promise<{ id: string; endsAt: Date }> {
  const a = parseInput(authoriseSchema, input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const now = new Date();
  // Exclusive end: the day after `until`, at midnight UTC.
  const endsAt = new Date(Date.parse(`${a.until}T00:00:00Z`) + 86_400_000);
  if (endsAt <= now)
    throw new ValidationError('Invalid input: until: is in the past', [
      { field: 'until', message: 'must be today or later' },
    ]);
  const [clinician] = await tx
    .select({ id: users.id, institution: users.institution })
    .from(users)
    .where(
      and(eq(users.email, a.clinicianEmail), eq(users.role, 'clinician'), isNull(users.disabledAt)),
    );
  if (!clinician?.institution) throw new NotFoundError('Clinician');
  await tx
    .update(clinicianAuthorisations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(clinicianAuthorisations.participantId, participant.id),
        eq(clinicianAuthorisations.clinicianUserId, clinician.id),
        isNull(clinicianAuthorisations.revokedAt),
        gt(clinicianAuthorisations.endsAt, now),
      ),
    );
  const id = randomUUID();
  await tx.insert(clinicianAuthorisations).values({
    id,
    participantId: participant.id,
    clinicianUserId: clinician.id,
    canRead: a.canRead,
    canAppend: a.canAppend,
    startsAt: now,
    endsAt,
  });
  await appendAuditEvent(tx, actor, {
    action: 'clinician.authorise',
    targetType: 'clinician_authorisation',
    targetId: id,
    participantId: participant.id,
    payload: { clinicianId: clinician.id, read: a.canRead, append: a.canAppend, until: a.until },
  });
  return { id, endsAt };
}

/** The participant revokes an authorisation at once. Already ended: "conflict". */
export async function revokeClinician(
  tx: Tx,
  actor: Actor | null,
  authorisationId: string,
): Promise<{ id: string; revokedAt: Date }> {
  const id = parseInput(idSchema, authorisationId);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const [row] = await tx
    .select()
    .from(clinicianAuthorisations)
    .where(
      and(
        eq(clinicianAuthorisations.id, id),
        eq(clinicianAuthorisations.participantId, participant.id),
      ),
    )
    .for('update');
  if (!row) throw new NotFoundError('Authorisation');
  const revokedAt = new Date();
  if (!isActive(row, revokedAt)) throw new ConflictError('This authorisation has already ended');
  await tx
    .update(clinicianAuthorisations)
    .set({ revokedAt })
    .where(eq(clinicianAuthorisations.id, id));
  await appendAuditEvent(tx, actor, {
    action: 'clinician.revoke',
    targetType: 'clinician_authorisation',
    targetId: id,
    participantId: participant.id,
    payload: { clinicianId: row.clinicianUserId },
  });
  return { id, revokedAt };
}

/** Rows joined with the clinician's account, newest first. */
function authorisationRows(tx: Tx) {
  return tx
    .select({
      auth: clinicianAuthorisations,
      name: users.displayName,
      email: users.email,
      institution: users.institution,
    })
    .from(clinicianAuthorisations)
    .innerJoin(users, eq(users.id, clinicianAuthorisations.clinicianUserId));
}

const view = (
  r: Awaited<ReturnType<typeof authorisationRows>>[number],
  now: Date,
): ClinicianAuthorisationView => ({
  id: r.auth.id,
  clinicianName: r.name,
  clinicianEmail: r.email,
  institution: r.institution,
  canRead: r.auth.canRead,
  canAppend: r.auth.canAppend,
  startsAt: r.auth.startsAt,
  endsAt: r.auth.endsAt,
  revokedAt: r.auth.revokedAt,
  active: isActive(r.auth, now),
});

/** Every authorisation the signed-in participant gave, newest first (their own data). */
export async function myClinicianAuthorisations(
  tx: Tx,
  actor: Actor | null,
): Promise<ClinicianAuthorisationView[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const rows = await authorisationRows(tx)
    .where(eq(clinicianAuthorisations.participantId, participant.id))
    .orderBy(desc(clinicianAuthorisations.createdAt));
  const now = new Date();
  return rows.map((r) => view(r, now));
}

/** What a clinician wants to do with a participant's record. */
export type ClinicianRight = 'read' | 'append';

/**
 * The clinician's active authorisation by this participant for `right`, checked now. Never
 * authorised: "not found" (existence does not leak); authorised once but ended, revoked or
 * without that right: "forbidden", saying which.
 */
export async function clinicianAuthorisationFor(
  tx: Tx,
  clinicianUserId: string,
  participantId: string,
  right: ClinicianRight,
): Promise<typeof clinicianAuthorisations.$inferSelect> {
  const rows = await tx
    .select()
    .from(clinicianAuthorisations)
    .where(
      and(
        eq(clinicianAuthorisations.participantId, participantId),
        eq(clinicianAuthorisations.clinicianUserId, clinicianUserId),
      ),
    )
    .orderBy(desc(clinicianAuthorisations.createdAt));
  if (rows.length === 0) throw new NotFoundError('Patient');
  const now = new Date();
  const active = rows.find((r) => isActive(r, now));
  if (!active) {
    const last = rows[0]!;
    const ended = last.revokedAt ?? last.endsAt;
    throw new ForbiddenError(
      `This participant’s authorisation of you ended on ${ended.toISOString().slice(0, 10)}`,
    );
  }
  if (right === 'read' ? !active.canRead : !active.canAppend)
    throw new ForbiddenError(`This participant has not authorised you to ${right}`);
  return active;
}
