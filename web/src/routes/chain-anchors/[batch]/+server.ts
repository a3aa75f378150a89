import { error } from '@sveltejs/kit';
import { apiOrigin } from '$lib/server/filtering-terms';
import type { RequestHandler } from './$types';

/**
 * The contract's answer for one audit anchor, passed through unchanged from the API's read-only
 * `GET /chain/anchors/<batch>` (which reads it from the chain's state, not our database), so the
 * participant's browser checks each proof against the Merkle root the chain holds.
 */
export const GET: RequestHandler = async ({ params, fetch }) => {
  if (!/^[1-9][0-9]{0,8}$/.test(params.batch))
    error(400, { message: 'A batch is a positive whole number.', code: 'BAD_USER_INPUT' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiOrigin()}/chain/anchors/${params.batch}`);
  } catch {
    error(502, { message: 'The Consentome API is not reachable.', code: 'API_UNREACHABLE' });
  }
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
};
