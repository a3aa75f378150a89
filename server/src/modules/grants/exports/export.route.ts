import { Readable } from 'node:stream';
import type { Database } from '../../../db/database.js';
import { appErrorResponse } from '../../../http/app-error-response.js';
import { requestViewer } from '../../../http/request-viewer.js';
import type { Route } from '../../../http/router.js';
import type { FileStore } from '../../../lib/file-store.js';
import { ExportLapsedError, auditLapsedDownload } from './export-consent-check.js';
import { RangeNotSatisfiableError, exportFile, type ExportFileName } from './export.service.js';

/** The file each path names; `vcf` stays as the VCF's path from before it was compressed. */
const FILES: Record<string, ExportFileName> = {
  vcf: 'vcf',
  'vcf.gz': 'vcf',
  'vcf.gz.tbi': 'index',
  'manifest.json': 'manifest',
};

/**
 * Downloads of an export for its grantee, with the session cookie or a bearer token:
 * `GET /api/exports/<id>/vcf.gz` (also `/vcf`), its tabix index `/api/exports/<id>/vcf.gz.tbi`
 * (where htslib looks for it), and `/api/exports/<id>/manifest.json`. Streamed from the file
 * store with single byte ranges (`Range`, 206, 416, `If-Range`), so `tabix` and `bcftools` can
 * read regions of the export over HTTP; every request is authorised and audited.
 *
 * `beforeRead` runs before each download's consent check: the wiring applies there what linked
 * sites' participants signed (as before every cohort read), so a withdrawal signed at another
 * site stops a download here even when nothing has been counted since.
 */
export function exportRoute(
  db: Database,
  files: FileStore,
  beforeRead: () => Promise<unknown> = async () => undefined,
): Route {
  return {
    prefix: '/api/exports',
    handler: async (request) => {
      const match = new URL(request.url).pathname.match(/^\/api\/exports\/([^/]+)\/([^/]+)$/);
      const file = match ? FILES[match[2]!] : undefined;
      if (!match || !file) return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET, HEAD' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer) return Response.json({ error: 'sign in first' }, { status: 401 });
      try {
        await beforeRead();
        const download = await db.transaction((tx) =>
          exportFile(tx, viewer, files, match[1], file, {
            range: request.headers.get('range'),
            ifRange: request.headers.get('if-range'),
            head: request.method === 'HEAD',
          }),
        );
        const headers: Record<string, string> = {
          'content-type': download.contentType,
          'content-disposition': `attachment; filename="${download.fileName}"`,
          'cache-control': 'no-store',
          'accept-ranges': 'bytes',
          etag: download.etag,
        };
        const { range } = download;
        headers['content-length'] = String(range ? range.end - range.start + 1 : download.size);
        if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${download.size}`;
        const body =
          request.method === 'HEAD'
            ? null
            : (Readable.toWeb(download.open()) as ReadableStream<Uint8Array>);
        return new Response(body, { status: range ? 206 : 200, headers });
      } catch (error) {
        if (error instanceof RangeNotSatisfiableError)
          return Response.json(
            { error: error.message },
            { status: 416, headers: { 'content-range': `bytes */${error.size}` } },
          );
        if (error instanceof ExportLapsedError)
          await db.transaction((tx) => auditLapsedDownload(tx, viewer, error));
        const response = appErrorResponse(error);
        if (response) return response;
        throw error;
      }
    },
  };
}
