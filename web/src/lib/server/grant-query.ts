import { error } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { loadOrFail } from './load';
import { STUDY_ID } from './study-query';

/**
 * Runs a grant page's query for the grant in the URL. An id that cannot be a grant's is a 404
 * without asking the API (grants share the studies' id form); a grant the caller may not see is
 * the same 404 as a missing one, so the answer tells nothing about grants of others.
 */
export async function loadGrantOrFail<R>(
  fetchFn: typeof fetch,
  token: string,
  document: TadaDocumentNode<R, { id: string }>,
  id: string,
): Promise<R> {
  if (!STUDY_ID.test(id)) error(404, { message: 'There is no such grant.' });
  return loadOrFail(
    fetchFn,
    token,
    document,
    { id },
    'There is no such grant, or it is not yours to see.',
  );
}
