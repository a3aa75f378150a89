import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { dacMembers } from '../dacs/dacs.tables.js';
import { accountOf, sameInstitution } from '../signing-officials/institutions.js';
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
 * True when the caller is a signing official of the requester's institution and the request
 * was submitted (a draft is the researcher's own): the official signs for it, so reads it.
 */
export async function signsForStudy(
  tx: Tx,
  actor: Actor | null,
  study: StudyRow,
): Promise<boolean> {
  if (!hasRole(actor, 'signing_official') || study.status === 'draft') return false;
  const official = await accountOf(tx, actor.userId);
  const owner = await accountOf(tx, study.ownerId);
  return sameInstitution(official?.institution, owner?.institution);
}

/**
 * Who may read a request's full text and its PDF: the requester, the members of the committees
 * deciding it, and the signing officials of the requester's institution once it is submitted.
 * Everyone else, admins and other institutions' officials included, is told it does not exist.
 * The documents are for the requester and the committees only (`documents: false`).
 */
export async function mayReadRequestFile(
  tx: Tx,
  actor: Actor | null,
  studyId: unknown,
  options: { documents: boolean } = { documents: true },
): Promise<StudyRow> {
  const parsed = idSchema.safeParse(studyId);
  if (!parsed.success) throw new NotFoundError('Study');
  const [study] = await tx.select().from(studies).where(eq(studies.id, parsed.data));
  if (!study) throw new NotFoundError('Study');
  const owner = hasRole(actor, 'researcher') && study.ownerId === actor.userId;
  if (owner || (await decidesStudy(tx, actor, study.id))) return study;
  if (!options.documents && (await signsForStudy(tx, actor, study))) return study;
  throw new NotFoundError('Study');
}

/** Prints the request for the caller, audited in the same transaction. */
export async function printRequest(tx: Tx, actor: Actor | null, studyId: unknown) {
  const study = await mayReadRequestFile(tx, actor, studyId, { documents: false });
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
