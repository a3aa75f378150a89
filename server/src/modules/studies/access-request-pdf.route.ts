import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { requestViewer } from '../../http/request-viewer.js';
import type { Route } from '../../http/router.js';
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

/** `GET /api/studies/<id>/request.pdf`, with the session cookie or a bearer token. */
export function accessRequestPdfRoute(db: Database): Route {
  return {
    prefix: '/api/studies',
    handler: async (request) => {
      const match = new URL(request.url).pathname.match(/^\/api\/studies\/([^/]+)\/request\.pdf$/);
      if (!match) return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer) return Response.json({ error: 'sign in first' }, { status: 401 });
      try {
        const { pdf } = await db.transaction((tx) => printRequest(tx, viewer, match[1]));
        return new Response(Buffer.from(pdf), {
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `attachment; filename="access-request-${match[1]}.pdf"`,
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        if (error instanceof NotFoundError)
          return Response.json({ error: error.message, code: error.code }, { status: 404 });
        throw error;
      }
    },
  };
}
