import { error, isHttpError, json } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf } from '$lib/server/guard';
import { JOB_FIELDS, type IngestJobView } from '../../ingest-types';
import type { RequestHandler } from './$types';

/** The progress of one ingest job, polled by the dataset page. */
export const GET: RequestHandler = async ({ locals, fetch, params }) => {
  if (!locals.viewer || !locals.token) error(401, { message: 'Sign in first.' });
  if (locals.viewer.role !== 'steward' && locals.viewer.role !== 'admin')
    error(403, { message: 'Only data stewards follow ingests.' });
  if (!/^[0-9a-f-]{36}$/i.test(params.job)) error(404, { message: 'There is no such ingest job.' });
  try {
    const { ingestJob } = await apiText<{ ingestJob: IngestJobView | null }>(
      fetch,
      `query($id: ID!) { ingestJob(id: $id) { ${JOB_FIELDS} } }`,
      { id: params.job },
      locals.token,
    );
    if (!ingestJob) error(404, { message: 'This ingest job is not known (any more).' });
    return json(ingestJob, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isHttpError(e)) throw e;
    error(502, { message: messageOf(e) });
  }
};
