import { error } from '@sveltejs/kit';
import { csvRow } from '$lib/csv';
import { readAuditFilter, validateAuditFilter } from '$lib/audit-filter';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { AuditEventsPage, type ExplorerEvent } from '../audit-types';
import type { RequestHandler } from './$types';

/** Events per API call; the API's maximum. Each call is one audited read. */
const PAGE = 500;

const HEADER = [
  'seq',
  'occurred_at',
  'actor_id',
  'actor_role',
  'action',
  'target_type',
  'target_id',
  'participant_pseudonym',
  'hash',
];

function row(e: ExplorerEvent): string {
  return csvRow([
    e.seq,
    e.occurredAt,
    e.actorId,
    e.actorRole,
    e.action,
    e.targetType,
    e.targetId,
    e.participantPseudonym,
    e.hash,
  ]);
}

/**
 * The filtered events as CSV for boards. Streams: it pages backwards through the API 500 events
 * at a time and sends each page as it arrives, so a large trail never sits in memory. The first
 * page is read before answering, so an unreachable API is a 502 rather than a broken file; the
 * events appended while exporting (the export's own reads among them) are newer than the first
 * page and so are not part of it.
 */
export const GET: RequestHandler = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const { errors, filter } = validateAuditFilter(readAuditFilter(url.searchParams));
  if (Object.keys(errors).length)
    error(400, {
      message: `Invalid filter: ${Object.values(errors).join(' ')}`,
      code: 'VALIDATION',
    });
  const page = (beforeSeq: number | null) =>
    api(fetch, token, AuditEventsPage, {
      filter: { ...filter, limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}) },
    }).then((d) => d.auditEvents);
  let first: ExplorerEvent[];
  try {
    first = await page(null);
  } catch (e) {
    error(502, { message: messageOf(e), code: 'API_ERROR' });
  }
  const encoder = new TextEncoder();
  let next: ExplorerEvent[] | null = first;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    async pull(controller) {
      const events = next ?? [];
      if (events.length) controller.enqueue(encoder.encode(events.map(row).join('')));
      if (events.length < PAGE) {
        controller.close();
        return;
      }
      // A failure here aborts the download: a truncated file must not look complete.
      next = await page(events.at(-1)!.seq);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-events-${day}.csv"`,
      'cache-control': 'no-store',
    },
  });
};
