import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
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
import { openTeamsOf } from './care-team.service.js';
import { careTeams, clinicianAuthorisations } from './record.tables.js';

/** An authorisation as the participant (or the clinician) sees it. */
export interface ClinicianAuthorisationView {
  id: string;
  /** The named clinician's (null when a care team is authorised). */
  clinicianName: string | null;
  clinicianEmail: string | null;
  /** The authorised care team (null when a named clinician is). */
  careTeam: { id: string; name: string } | null;
  /** The clinician's institution, or the team's. */
  institution: string | null;
  canRead: boolean;
  canAppend: boolean;
  startsAt: Date;
  endsAt: Date;
  revokedAt: Date | null;
  /** True while it is neither revoked nor past its end. */
  active: boolean;
}

const rightsAndPeriod = {
  canRead: z.boolean(),
  canAppend: z.boolean(),
  until: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-06-30' })
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'is not a date' }),
};
const someRight: [
  (a: { canRead: boolean; canAppend: boolean }) => boolean,
  { path: string[]; message: string },
] = [
  (a) => a.canRead || a.canAppend,
  { path: ['canRead'], message: 'choose reading, appending or both' },
];

const authoriseSchema = z
  .object({ clinicianEmail: emailSchema, ...rightsAndPeriod })
  .refine(...someRight);
const authoriseTeamSchema = z
  .object({ careTeamId: idSchema, ...rightsAndPeriod })
  .refine(...someRight);

/** The exclusive end of an authorisation until the end of `until` (UTC); refused if past. */
function endOfDay(until: string, now: Date): Date {
  // Exclusive end: the day after `until`, at midnight UTC.
  const endsAt = new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000);
  if (endsAt <= now)
    throw new ValidationError('Invalid input: until: is in the past', [
      { field: 'until', message: 'must be today or later' },
    ]);
  return endsAt;
}

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
  return authorise(tx, actor, parseInput(authoriseSchema, input), async (a) => {
    const [clinician] = await tx
      .select({ id: users.id, institution: users.institution })
      .from(users)
      .where(
        and(
          eq(users.email, a.clinicianEmail),
          eq(users.role, 'clinician'),
          isNull(users.disabledAt),
        ),
      );
    if (!clinician?.institution) throw new NotFoundError('Clinician');
    return { clinicianUserId: clinician.id };
  });
}

/**
 * The signed-in participant authorises a care team: whoever is a member when they read or append
 * acts under it (members who join later too; members who leave no longer). Replaces an active
 * authorisation of the same team (revoked now). An unknown team: "not found".
 */
export async function authoriseCareTeam(
  tx: Tx,
  actor: Actor | null,
  input: { careTeamId: string; canRead: boolean; canAppend: boolean; until: string },
): Promise<{ id: string; endsAt: Date }> {
  return authorise(tx, actor, parseInput(authoriseTeamSchema, input), async (a) => {
    const [team] = await tx
      .select({ id: careTeams.id })
      .from(careTeams)
      .where(eq(careTeams.id, a.careTeamId));
    if (!team) throw new NotFoundError('Care team');
    return { careTeamId: team.id };
  });
}

/**
 * What both kinds of authorisation share, on parsed input: the signed-in participant (locked),
 * an end that is not past (checked before the holder is looked up), then the holder `findHolder`
 * answers (or refuses), whose active authorisation the new one replaces.
 */
async function authorise<T extends AuthorisationTerms>(
  tx: Tx,
  actor: Actor | null,
  a: T,
  findHolder: (a: T) => Promise<AuthorisationHolder>,
): Promise<{ id: string; endsAt: Date }> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const now = new Date();
  const endsAt = endOfDay(a.until, now);
  const holder = await findHolder(a);
  const id = await replaceAuthorisation(tx, actor, participant.id, holder, { ...a, now, endsAt });
  return { id, endsAt };
}

/** The rights and the last day a participant grants. */
interface AuthorisationTerms {
  canRead: boolean;
  canAppend: boolean;
  until: string;
}

/** Who an authorisation is for: one clinician, or a care team. */
type AuthorisationHolder = { clinicianUserId: string } | { careTeamId: string };

/**
 * Revokes the participant's active authorisation of the same holder (now), records the new one
 * and audits it: a participant has at most one active authorisation per clinician or team.
 * Answers its id.
 */
async function replaceAuthorisation(
  tx: Tx,
  actor: Actor | null,
  participantId: string,
  holder: AuthorisationHolder,
  terms: AuthorisationTerms & { now: Date; endsAt: Date },
): Promise<string> {
  const sameHolder =
    'careTeamId' in holder
      ? eq(clinicianAuthorisations.careTeamId, holder.careTeamId)
      : eq(clinicianAuthorisations.clinicianUserId, holder.clinicianUserId);
  await tx
    .update(clinicianAuthorisations)
    .set({ revokedAt: terms.now })
    .where(
      and(
        eq(clinicianAuthorisations.participantId, participantId),
        sameHolder,
        isNull(clinicianAuthorisations.revokedAt),
        gt(clinicianAuthorisations.endsAt, terms.now),
      ),
    );
  const id = randomUUID();
  await tx.insert(clinicianAuthorisations).values({
    id,
    participantId,
    ...holder,
    canRead: terms.canRead,
    canAppend: terms.canAppend,
    startsAt: terms.now,
    endsAt: terms.endsAt,
  });
  const rights = { read: terms.canRead, append: terms.canAppend, until: terms.until };
  await appendAuditEvent(tx, actor, {
    ...('careTeamId' in holder
      ? { action: 'care_team.authorise', payload: { careTeamId: holder.careTeamId, ...rights } }
      : {
          action: 'clinician.authorise',
          payload: { clinicianId: holder.clinicianUserId, ...rights },
        }),
    targetType: 'clinician_authorisation',
    targetId: id,
    participantId,
  });
  return id;
}

/** The participant revokes an authorisation (of a clinician or a care team) at once. Already ended: "conflict". */
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
    payload: row.careTeamId ? { careTeamId: row.careTeamId } : { clinicianId: row.clinicianUserId },
  });
  return { id, revokedAt };
}

/** Rows joined with the clinician's account or the care team. */
function authorisationRows(tx: Tx) {
  return tx
    .select({
      auth: clinicianAuthorisations,
      name: users.displayName,
      email: users.email,
      institution: users.institution,
      teamName: careTeams.name,
      teamInstitution: careTeams.institution,
    })
    .from(clinicianAuthorisations)
    .leftJoin(users, eq(users.id, clinicianAuthorisations.clinicianUserId))
    .leftJoin(careTeams, eq(careTeams.id, clinicianAuthorisations.careTeamId));
}

const view = (
  r: Awaited<ReturnType<typeof authorisationRows>>[number],
  now: Date,
): ClinicianAuthorisationView => ({
  id: r.auth.id,
  clinicianName: r.name,
  clinicianEmail: r.email,
  careTeam:
    r.auth.careTeamId && r.teamName !== null ? { id: r.auth.careTeamId, name: r.teamName } : null,
  institution: r.institution ?? r.teamInstitution,
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
 * The clinician's active authorisation by this participant for `right`, checked now: one naming
 * them, or one of a care team they belong to now (a named one first). Never authorised, or only
 * through a team they have left: "not found" (existence does not leak); authorised once but
 * ended, revoked or without that right: "forbidden", saying which.
 */
export async function clinicianAuthorisationFor(
  tx: Tx,
  clinicianUserId: string,
  participantId: string,
  right: ClinicianRight,
): Promise<typeof clinicianAuthorisations.$inferSelect> {
  const teams = await openTeamsOf(tx, clinicianUserId);
  const grantee = teams.length
    ? or(
        eq(clinicianAuthorisations.clinicianUserId, clinicianUserId),
        inArray(clinicianAuthorisations.careTeamId, teams),
      )
    : eq(clinicianAuthorisations.clinicianUserId, clinicianUserId);
  const rows = await tx
    .select()
    .from(clinicianAuthorisations)
    .where(and(eq(clinicianAuthorisations.participantId, participantId), grantee))
    .orderBy(desc(clinicianAuthorisations.createdAt));
  if (rows.length === 0) throw new NotFoundError('Patient');
  const now = new Date();
  const active = rows.filter((r) => isActive(r, now));
  if (active.length === 0) {
    const last = rows[0]!;
    const ended = last.revokedAt ?? last.endsAt;
    throw new ForbiddenError(
      `This participant’s authorisation of you ended on ${ended.toISOString().slice(0, 10)}`,
    );
  }
  const allowed = active
    .filter((r) => (right === 'read' ? r.canRead : r.canAppend))
    .sort((a, b) => Number(a.careTeamId !== null) - Number(b.careTeamId !== null));
  if (allowed.length === 0)
    throw new ForbiddenError(`This participant has not authorised you to ${right}`);
  return allowed[0]!;
}
