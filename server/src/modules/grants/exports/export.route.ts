import type { Database } from '../../../db/database.js';
import { AppError } from '../../../errors/app-errors.js';
import { requestViewer } from '../../../http/request-viewer.js';
import type { Route } from '../../../http/router.js';
import { ExportLapsedError, auditLapsedDownload } from './export-consent-check.js';
import { exportFile } from './export.service.js';

const STATUS: Record<string, number> = { NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403 };

/**
 * Downloads of an export for its grantee: `GET /api/exports/<id>/vcf` and
 * `/api/exports/<id>/manifest.json`, with the session cookie or a bearer token.
 */
export function exportRoute(db: Database): Route {
  return {
    prefix: '/api/exports',
    handler: async (request) => {
      const match = new URL(request.url).pathname.match(
        /^\/api\/exports\/([^/]+)\/(vcf|manifest\.json)$/,
      );
      if (!match) return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer) return Response.json({ error: 'sign in first' }, { status: 401 });
      try {
        const file = await db.transaction((tx) =>
          exportFile(tx, viewer, match[1], match[2] === 'vcf' ? 'vcf' : 'manifest'),
        );
        return new Response(file.body, {
          headers: {
            'content-type': file.contentType,
            'content-disposition': `attachment; filename="${file.fileName}"`,
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        if (error instanceof ExportLapsedError)
          await db.transaction((tx) => auditLapsedDownload(tx, viewer, error));
        if (error instanceof AppError)
          return Response.json(
            { error: error.message, code: error.code },
            { status: STATUS[error.code] ?? 400 },
          );
        throw error;
      }
    },
  };
}
