import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-errors.js';
import { requestViewer } from '../../http/request-viewer.js';
import type { Route } from '../../http/router.js';
import { auditDownload, collectEverything } from './patient-everything.service.js';
import { recordSummaryPdf } from './record-summary-pdf.js';

/** Where the participant's printable summary is served. */
export const RECORD_SUMMARY_PATH = '/api/record/summary.pdf';

/**
 * `GET /api/record/summary.pdf`: the signed-in participant's record in plain language, as a PDF
 * (the FHIR bundle is `GET /fhir/Patient/$everything`). 401 without a session, 404 for anyone
 * who is not a participant; every download is audited (`record.download`, format pdf).
 */
export function recordDownloadRoute(db: Database): Route {
  return {
    prefix: RECORD_SUMMARY_PATH,
    handler: async (request) => {
      if (request.method !== 'GET')
        return Response.json(
          { error: 'Use GET', code: 'METHOD' },
          { status: 405, headers: { allow: 'GET' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer)
        return Response.json({ error: 'Sign in first', code: 'UNAUTHENTICATED' }, { status: 401 });
      try {
        const pdf = await db.transaction(async (tx) => {
          const all = await collectEverything(tx, viewer, null);
          await auditDownload(tx, viewer, all, 'pdf');
          return recordSummaryPdf(all);
        });
        return new Response(Buffer.from(pdf), {
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': 'attachment; filename="my-consentome-record.pdf"',
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        if (error instanceof AppError)
          return Response.json(
            { error: error.message, code: error.code },
            { status: error.code === 'NOT_FOUND' ? 404 : 400 },
          );
        throw error;
      }
    },
  };
}
