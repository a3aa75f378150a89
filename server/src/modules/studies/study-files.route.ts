import type { Database } from '../../db/database.js';
import { appErrorResponse } from '../../http/app-error-response.js';
import { requestViewer } from '../../http/request-viewer.js';
import type { Route } from '../../http/router.js';
import { printRequest } from './request-file-access.js';
import { readStudyDocument } from './study-documents.service.js';

const PDF = /^\/api\/studies\/([^/]+)\/request\.pdf$/;
const DOCUMENT = /^\/api\/studies\/([^/]+)\/documents\/([^/]+)$/;

/**
 * A request's file for its requester and the committees deciding it, with the session cookie or
 * a bearer token: `GET /api/studies/<id>/request.pdf` (the full request printed) and
 * `GET /api/studies/<id>/documents/<document id>` (a document, decrypted and checked against its
 * SHA-256, which the `x-content-sha256` header repeats). Every read is audited; anyone else is
 * told it does not exist.
 */
export function studyFilesRoute(db: Database): Route {
  return {
    prefix: '/api/studies',
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      const pdf = path.match(PDF);
      const doc = path.match(DOCUMENT);
      if (!pdf && !doc) return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer) return Response.json({ error: 'sign in first' }, { status: 401 });
      try {
        if (pdf) {
          const printed = await db.transaction((tx) => printRequest(tx, viewer, pdf[1]));
          return new Response(Buffer.from(printed.pdf), {
            headers: {
              'content-type': 'application/pdf',
              'content-disposition': `attachment; filename="access-request-${printed.study.id}.pdf"`,
              'cache-control': 'no-store',
            },
          });
        }
        const { info, bytes } = await readStudyDocument(db, viewer, doc![1], doc![2]);
        return new Response(new Uint8Array(bytes), {
          headers: {
            'content-type': info.contentType,
            'content-disposition': `attachment; filename="${info.name}"`,
            'x-content-sha256': info.sha256,
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        const response = appErrorResponse(error);
        if (response) return response;
        throw error;
      }
    },
  };
}
