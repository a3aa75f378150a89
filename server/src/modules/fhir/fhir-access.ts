import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError, UnauthenticatedError } from '../../errors/app-errors.js';
import { hasRole, type UserActor } from '../actors/actor.js';
import { participants } from '../participants/participants.tables.js';

/** A participant record as FHIR resources need it. */
export type ParticipantRow = typeof participants.$inferSelect;

/** The caller, who must be signed in (401 otherwise). */
export function requireViewer(viewer: UserActor | null): UserActor {
  if (!viewer) throw new UnauthenticatedError('Send a bearer token (Authorization: Bearer …)');
  return viewer;
}

/** Ethics boards and admins see every participant's audit events and consents. */
export function isOverseer(viewer: UserActor): boolean {
  return hasRole(viewer, 'ethics_board', 'admin');
}

/** Participants see their own slice; boards and admins everything; other roles nothing (403). */
export function assertCanReadParticipantResources(viewer: UserActor): void {
  if (isOverseer(viewer) || hasRole(viewer, 'participant')) return;
  throw new ForbiddenError('Only participants (their own), ethics boards and admins can read this');
}

/** The participant record linked to a participant's account, or null (not enrolled, other role). */
export async function viewerParticipant(tx: Tx, viewer: UserActor): Promise<ParticipantRow | null> {
  if (!hasRole(viewer, 'participant')) return null;
  const [row] = await tx.select().from(participants).where(eq(participants.userId, viewer.userId));
  return row ?? null;
}

/** A participant record by pseudonym, or null. */
export async function participantByPseudonym(
  tx: Tx,
  pseudonym: string,
): Promise<ParticipantRow | null> {
  const [row] = await tx.select().from(participants).where(eq(participants.pseudonym, pseudonym));
  return row ?? null;
}

/** The pseudonym in a Patient reference (`Patient/P-1` or a URL ending so), or null. */
export function referencedPseudonym(reference: string): string | null {
  return /(?:^|\/)Patient\/([^/]+)$/.exec(reference)?.[1] ?? null;
}

/**
 * The pseudonym a `patient` parameter names: `P-1`, `Patient/P-1` or an absolute URL ending in
 * `Patient/P-1` are all the same reference.
 */
export function patientPseudonym(raw: string): string {
  return referencedPseudonym(raw) ?? raw;
}
