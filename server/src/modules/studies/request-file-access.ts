import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { dacMembers } from '../dacs/dacs.tables.js';
import { accessRequestPdf } from './access-request-pdf.js';
import { collaboratorsOf, savedSections } from './access-request.service.js';
import { studies, studyElections } from './studies.tables.js';
import type { StudyRow } from './study-access.js';

/** The path of a request's PDF. */
export const requestPdfPath = (studyId: string) => `/api/studies/${studyId}/request.pdf`;

/**
 * True when the caller is a member of a committee holding an election on the study: the
 * committees deciding it read the full request and its documents.
 */
export async function decidesStudy(tx: Tx, actor: Actor | null, studyId: string): Promise<boolean> {
  if (!hasRole(actor, 'ethics_board')) return false;
  const [row] = await tx
    .select({ dacId: studyElections.dacId })
    .from(studyElections)
    .innerJoin(dacMembers, eq(dacMembers.dacId, studyElections.dacId))
    .where(and(eq(studyElections.studyId, studyId), eq(dacMembers.userId, actor.userId)))
    .limit(1);
  return row !== undefined;
}

/**
 * Who may read a request's full file (its PDF, its documents): the requester, and the members of
 * the committees deciding it. Everyone else, admins included, is told it does not exist.
 */
export async function mayReadRequestFile(
  tx: Tx,
  actor: Actor | null,
  studyId: unknown,
): Promise<StudyRow> {
  const parsed = idSchema.safeParse(studyId);
  if (!parsed.success) throw new NotFoundError('Study');
  const [study] = await tx.select().from(studies).where(eq(studies.id, parsed.data));
  if (!study) throw new NotFoundError('Study');
  const owner = hasRole(actor, 'researcher') && study.ownerId === actor.userId;
  if (!owner && !(await decidesStudy(tx, actor, study.id))) throw new NotFoundError('Study');
  return study;
}

/** Prints the request for the caller, audited in the same transaction. */
export async function printRequest(tx: Tx, actor: Actor | null, studyId: unknown) {
  const study = await mayReadRequestFile(tx, actor, studyId);
  const pdf = await accessRequestPdf(
    study,
    await savedSections(tx, study.id),
    await collaboratorsOf(tx, study.id),
  );
  await appendAuditEvent(tx, actor, {
    action: 'study.request_pdf.read',
    targetType: 'study',
    targetId: study.id,
  });
  return { study, pdf };
}
