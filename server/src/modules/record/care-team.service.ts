import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { emailSchema, idSchema, nameSchema } from '../../lib/validators.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanManageCareTeams, assertCanSeeCareTeams } from './care-team.policy.js';
import { careTeamMembers, careTeams } from './record.tables.js';

/** A care team and its current members, as the portal lists it. */
export interface CareTeamView {
  id: string;
  name: string;
  institution: string;
  /** Current members' names (their e-mail addresses only for administrators). */
  members: { name: string; email: string | null }[];
}

const createSchema = z.object({ name: nameSchema, institution: nameSchema });
const memberSchema = z.object({ teamId: idSchema, clinicianEmail: emailSchema });

/** An administrator sets up a care team at an institution (names are unique per institution). */
export async function createCareTeam(
  tx: Tx,
  actor: Actor | null,
  input: { name: string; institution: string },
): Promise<{ id: string }> {
  assertCanManageCareTeams(actor);
  const team = parseInput(createSchema, input);
  const [taken] = await tx
    .select({ id: careTeams.id })
    .from(careTeams)
    .where(and(eq(careTeams.institution, team.institution), eq(careTeams.name, team.name)));
  if (taken) throw new ConflictError('That institution already has a care team of that name');
  const id = randomUUID();
  await tx.insert(careTeams).values({ id, ...team });
  await appendAuditEvent(tx, actor, {
    action: 'care_team.create',
    targetType: 'care_team',
    targetId: id,
  });
  return { id };
}

/**
 * The start of every membership change: only an administrator, input checked, and the team
 * locked for the change (or "not found").
 */
async function membershipChange(
  tx: Tx,
  actor: Actor | null,
  input: { teamId: string; clinicianEmail: string },
) {
  assertCanManageCareTeams(actor);
  const m = parseInput(memberSchema, input);
  const [team] = await tx.select().from(careTeams).where(eq(careTeams.id, m.teamId)).for('update');
  if (!team) throw new NotFoundError('Care team');
  return { m, team };
}

/** Audits a membership change, naming the clinician by id only; answers the team's id. */
async function auditMembership(
  tx: Tx,
  actor: Actor | null,
  action: 'care_team.member.add' | 'care_team.member.remove',
  teamId: string,
  clinicianId: string,
): Promise<{ id: string }> {
  await appendAuditEvent(tx, actor, {
    action,
    targetType: 'care_team',
    targetId: teamId,
    payload: { clinicianId },
  });
  return { id: teamId };
}

/**
 * An administrator adds a clinician of the team's institution to it. From now on the clinician
 * acts under every authorisation participants gave the team. Already a member: "conflict".
 */
export async function addCareTeamMember(
  tx: Tx,
  actor: Actor | null,
  input: { teamId: string; clinicianEmail: string },
): Promise<{ id: string }> {
  const { m, team } = await membershipChange(tx, actor, input);
  const [clinician] = await tx
    .select({ id: users.id, institution: users.institution })
    .from(users)
    .where(
      and(eq(users.email, m.clinicianEmail), eq(users.role, 'clinician'), isNull(users.disabledAt)),
    );
  if (!clinician) throw new NotFoundError('Clinician');
  if (clinician.institution !== team.institution)
    throw new ValidationError('Invalid input: clinicianEmail: works at another institution', [
      { field: 'clinicianEmail', message: `is not a clinician of ${team.institution}` },
    ]);
  const [open] = await tx
    .select({ id: careTeamMembers.id })
    .from(careTeamMembers)
    .where(
      and(
        eq(careTeamMembers.teamId, team.id),
        eq(careTeamMembers.clinicianUserId, clinician.id),
        isNull(careTeamMembers.leftAt),
      ),
    );
  if (open) throw new ConflictError('That clinician is already a member of the team');
  const id = randomUUID();
  await tx.insert(careTeamMembers).values({
    id,
    teamId: team.id,
    clinicianUserId: clinician.id,
    joinedAt: new Date(),
  });
  return auditMembership(tx, actor, 'care_team.member.add', team.id, clinician.id);
}

/**
 * An administrator removes a clinician from a team: at once they no longer act under its
 * authorisations. The stay is closed, not deleted, so earlier reads still name the team.
 */
export async function removeCareTeamMember(
  tx: Tx,
  actor: Actor | null,
  input: { teamId: string; clinicianEmail: string },
): Promise<{ id: string }> {
  const { m, team } = await membershipChange(tx, actor, input);
  const [stay] = await tx
    .select({ id: careTeamMembers.id, clinicianId: careTeamMembers.clinicianUserId })
    .from(careTeamMembers)
    .innerJoin(users, eq(users.id, careTeamMembers.clinicianUserId))
    .where(
      and(
        eq(careTeamMembers.teamId, team.id),
        eq(users.email, m.clinicianEmail),
        isNull(careTeamMembers.leftAt),
      ),
    );
  if (!stay) throw new NotFoundError('Team member');
  await tx
    .update(careTeamMembers)
    .set({ leftAt: new Date() })
    .where(eq(careTeamMembers.id, stay.id));
  return auditMembership(tx, actor, 'care_team.member.remove', team.id, stay.clinicianId);
}

/**
 * Every care team with its current members, by institution and name. Names only for participants
 * and clinicians; administrators also see the members' e-mail addresses (to manage them).
 */
export async function listCareTeams(tx: Tx, actor: Actor | null): Promise<CareTeamView[]> {
  assertCanSeeCareTeams(actor);
  const teams = await tx
    .select()
    .from(careTeams)
    .orderBy(asc(careTeams.institution), asc(careTeams.name));
  if (teams.length === 0) return [];
  const members = await tx
    .select({ teamId: careTeamMembers.teamId, name: users.displayName, email: users.email })
    .from(careTeamMembers)
    .innerJoin(users, eq(users.id, careTeamMembers.clinicianUserId))
    .where(
      and(
        inArray(
          careTeamMembers.teamId,
          teams.map((t) => t.id),
        ),
        isNull(careTeamMembers.leftAt),
      ),
    )
    .orderBy(asc(users.displayName));
  const seesEmails = actor?.kind === 'system' || (actor?.kind === 'user' && actor.role === 'admin');
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    institution: t.institution,
    members: members
      .filter((m) => m.teamId === t.id)
      .map((m) => ({ name: m.name, email: seesEmails ? m.email : null })),
  }));
}

/** The teams the clinician belongs to now, their stays locked against a removal in flight. */
export async function openTeamsOf(tx: Tx, clinicianUserId: string): Promise<string[]> {
  const rows = await tx
    .select({ teamId: careTeamMembers.teamId })
    .from(careTeamMembers)
    .where(
      and(eq(careTeamMembers.clinicianUserId, clinicianUserId), isNull(careTeamMembers.leftAt)),
    )
    .for('share');
  return rows.map((r) => r.teamId);
}
