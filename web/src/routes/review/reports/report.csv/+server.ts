import { error } from '@sveltejs/kit';
import { csvRow } from '$lib/csv';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { DacReports } from '../report-query';
import type { RequestHandler } from './$types';

/**
 * The committee reports as one CSV, a row per figure (committee, section, key, measure, value),
 * so a spreadsheet pivots it any way: volume per month, decisions per DUO category, turnaround.
 */
export const GET: RequestHandler = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  let reports;
  try {
    reports = (await api(fetch, token, DacReports, {})).dacReports;
  } catch (e) {
    error(502, { message: messageOf(e) });
  }
  let body = csvRow(['committee', 'section', 'key', 'measure', 'value']);
  for (const r of reports) {
    const t = r.turnaround;
    for (const [measure, value] of [
      ['decided', t.decided],
      ['median_days', t.medianDays],
      ['mean_days', t.meanDays],
      ['max_days', t.maxDays],
    ] as const)
      body += csvRow([r.dacName, 'turnaround', 'all', measure, value]);
    for (const m of r.months)
      for (const measure of ['received', 'approved', 'rejected', 'open', 'closed'] as const)
        body += csvRow([r.dacName, 'volume', m.month, measure, m[measure]]);
    for (const c of r.categories)
      for (const measure of ['approved', 'rejected', 'open', 'closed'] as const)
        body += csvRow([r.dacName, 'duo_category', c.category, measure, c[measure]]);
  }
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="committee-reports.csv"',
      'cache-control': 'no-store',
    },
  });
};
