import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { users } from '../accounts/accounts.tables.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../audit/audit.service.js';
import { participants } from '../participants/participants.tables.js';
import { openTeamsOf } from './care-team.service.js';
import { clinicianAuthorisationFor } from './clinician-authorisation.service.js';
import {
  conditionContent,
  measurementContent,
  type ConditionInput,
  type EntryContent,
  type MeasurementInput,
} from './record-content.js';
import { recordEntriesOf, type RecordEntryView } from './record-reads.service.js';
import { writeEntry } from './record.service.js';
import { clinicianAuthorisations } from './record.tables.js';

/** A participant who currently authorises the clinician, as the clinician sees them. */
export interface AuthorisedPatient {
  /** The participant's enrolment id (pseudonym): the `Patient` id in FHIR. */
  pseudonym: string;
  canRead: boolean;
  canAppend: boolean;
  endsAt: Date;
}

/** The signed-in clinician, or "not found" for anyone else (deny by default). */
function asClinician(actor: Actor | null): UserActor {
  if (!hasRole(actor, 'clinician')) throw new NotFoundError('Patient');
  return actor;
}

/** The participant with this pseudonym (not erased), or "not found". */
export async function participantByPseudonym(tx: Tx, pseudonym: string) {
  const [row] = await tx
    .select({ id: participants.id, num: participants.num, pseudonym: participants.pseudonym })
    .from(participants)
    .where(eq(participants.pseudonym, pseudonym));
  if (!row || row.pseudonym.startsWith('ERASED-')) throw new NotFoundError('Patient');
  return row;
}

/**
 * The participants who authorise the signed-in clinician now, by name or through a care team
 * they belong to; rights of several authorisations of one participant add up.
 */
export async function authorisedPatients(
  tx: Tx,
  actor: Actor | null,
): Promise<AuthorisedPatient[]> {
  const clinician = asClinician(actor);
  const now = new Date();
  const teams = await openTeamsOf(tx, clinician.userId);
  const named = eq(clinicianAuthorisations.clinicianUserId, clinician.userId);
  const rows = await tx
    .select({
      pseudonym: participants.pseudonym,
      canRead: clinicianAuthorisations.canRead,
      canAppend: clinicianAuthorisations.canAppend,
      endsAt: clinicianAuthorisations.endsAt,
    })
    .from(clinicianAuthorisations)
    .innerJoin(participants, eq(participants.id, clinicianAuthorisations.participantId))
    .where(
      and(
        teams.length ? or(named, inArray(clinicianAuthorisations.careTeamId, teams)) : named,
        isNull(clinicianAuthorisations.revokedAt),
        gt(clinicianAuthorisations.endsAt, now),
      ),
    )
    .orderBy(participants.pseudonym);
  const byPatient = new Map<string, AuthorisedPatient>();
  for (const row of rows) {
    const seen = byPatient.get(row.pseudonym);
    byPatient.set(
      row.pseudonym,
      seen
        ? {
            pseudonym: row.pseudonym,
            canRead: seen.canRead || row.canRead,
            canAppend: seen.canAppend || row.canAppend,
            endsAt: seen.endsAt > row.endsAt ? seen.endsAt : row.endsAt,
          }
        : row,
    );
  }
  const patients = [...byPatient.values()];
  await appendAuditEvent(tx, actor, {
    action: 'clinician.patients.list',
    targetType: 'user',
    targetId: clinician.userId,
    payload: { patients: patients.length },
  });
  return patients;
}

/**
 * A clinician reads a participant's record while authorised to read it: without the
 * participant's private notes and remarks. The read is on the participant's timeline.
 */
export async function clinicianReadRecord(
  tx: Tx,
  actor: Actor | null,
  pseudonym: string,
): Promise<RecordEntryView[]> {
  const clinician = asClinician(actor);
  const participant = await participantByPseudonym(tx, pseudonym);
  const authorisation = await clinicianAuthorisationFor(
    tx,
    clinician.userId,
    participant.id,
    'read',
  );
  const entries = await recordEntriesOf(tx, participant.id, { withPrivate: false });
  await appendParticipantEvent(tx, actor, 'record.read.clinician', participant.id, {
    entries: entries.length,
    // The care team the clinician read for, so the timeline can name it.
    ...(authorisation.careTeamId ? { careTeamId: authorisation.careTeamId } : {}),
  });
  return entries;
}

/**
 * Appends a checked entry for a participant who authorises the clinician to append now, with
 * the clinician and their institution as its source. `content` runs after the authorisation
 * check, so a clinician without one learns nothing from validation messages.
 */
export async function clinicianAppend(
  tx: Tx,
  actor: Actor | null,
  pseudonym: string,
  kind: 'condition' | 'measurement',
  content: (tx: Tx) => Promise<EntryContent>,
): Promise<{ id: string; participantId: string; institution: string; authorisationId: string }> {
  const clinician = asClinician(actor);
  const participant = await participantByPseudonym(tx, pseudonym);
  // Locks the participant so a revocation in flight is not overtaken by this append.
  await tx
    .select({ id: participants.id })
    .from(participants)
    .where(eq(participants.id, participant.id))
    .for('update');
  const authorisation = await clinicianAuthorisationFor(
    tx,
    clinician.userId,
    participant.id,
    'append',
  );
  const [me] = await tx
    .select({ institution: users.institution })
    .from(users)
    .where(eq(users.id, clinician.userId));
  if (!me?.institution) throw new NotFoundError('Patient');
  const checked = await content(tx);
  const { id } = await writeEntry(
    tx,
    clinician,
    {
      source: 'clinician',
      userId: clinician.userId,
      institution: me.institution,
      careTeamId: authorisation.careTeamId,
    },
    { participantId: participant.id, kind, content: { ...checked, note: null } },
  );
  return {
    id,
    participantId: participant.id,
    institution: me.institution,
    authorisationId: authorisation.id,
  };
}

/** A clinician adds a condition to an authorising participant's record. */
export function clinicianAddCondition(
  tx: Tx,
  actor: Actor | null,
  pseudonym: string,
  input: ConditionInput,
) {
  return clinicianAppend(tx, actor, pseudonym, 'condition', (t) => conditionContent(t, input));
}

/** A clinician adds a measurement to an authorising participant's record. */
export function clinicianAddMeasurement(
  tx: Tx,
  actor: Actor | null,
  pseudonym: string,
  input: MeasurementInput,
) {
  return clinicianAppend(tx, actor, pseudonym, 'measurement', async () =>
    measurementContent(input),
  );
}
