import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import type { auditEvents } from '../audit/audit.tables.js';
import { careTeams } from '../record/record.tables.js';

type AuditRow = typeof auditEvents.$inferSelect;

/** What clinicians do with a participant's record under the participant's authorisation. */
const CLINICIAN_ACTIONS = new Set(['record.read.clinician', 'record.entry.add.clinician']);

function careTeamOf(row: AuditRow): string | null {
  try {
    const payload = JSON.parse(row.payload) as { careTeamId?: unknown };
    return typeof payload.careTeamId === 'string' ? payload.careTeamId : null;
  } catch {
    return null;
  }
}

/**
 * Which clinician read or added to the participant's record, by event: "by <name> (<institution>)",
 * and ", for the care team <team>" when they acted under the participant's authorisation of a
 * team. Names are read now (the audit payload holds identifiers only).
 */
export async function clinicianWording(
  tx: Tx,
  rows: readonly AuditRow[],
): Promise<Map<number, string>> {
  const acted = rows.filter((row) => row.actorId && CLINICIAN_ACTIONS.has(row.action));
  const wording = new Map<number, string>();
  if (acted.length === 0) return wording;
  const people = await tx
    .select({ id: users.id, name: users.displayName, institution: users.institution })
    .from(users)
    .where(inArray(users.id, [...new Set(acted.map((r) => r.actorId!))]));
  const teamIds = [...new Set(acted.map(careTeamOf).filter((t): t is string => t !== null))];
  const teams = teamIds.length
    ? await tx
        .select({ id: careTeams.id, name: careTeams.name })
        .from(careTeams)
        .where(inArray(careTeams.id, teamIds))
    : [];
  const personById = new Map(people.map((p) => [p.id, p]));
  const teamById = new Map(teams.map((t) => [t.id, t.name]));
  for (const row of acted) {
    const who = personById.get(row.actorId!);
    const name = who
      ? `${who.name}${who.institution ? ` (${who.institution})` : ''}`
      : '(account deleted)';
    const teamId = careTeamOf(row);
    const team = teamId ? teamById.get(teamId) : undefined;
    wording.set(row.seq, `by ${name}${team ? `, for the care team ${team}` : ''}`);
  }
  return wording;
}
