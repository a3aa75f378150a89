import { error, isHttpError, json } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { IngestJob } from '../../ingest-types';
import type { RequestHandler } from './$types';

/** The progress of one ingest job, polled by the dataset page. */
export const GET: RequestHandler = async ({ locals, fetch, params }) => {
  const { token } = signedIn(locals);
  if (!/^[0-9a-f-]{36}$/i.test(params.job)) error(404, { message: 'There is no such ingest job.' });
  try {
    const { ingestJob } = await api(fetch, token, IngestJob, { id: params.job });
    if (!ingestJob) error(404, { message: 'This ingest job is not known (any more).' });
    return json(ingestJob, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isHttpError(e)) throw e;
    error(502, { message: messageOf(e) });
  }
};
