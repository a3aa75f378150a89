import { error } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiRequestError, api } from './api';

/**
 * Runs the query a page cannot do without. When it fails the whole page fails through
 * `error()`, shown by `+error.svelte`: NOT_FOUND as 404 with `notFound` (the API answers it
 * for what the caller may not see, too), FORBIDDEN as 403, anything else as 502 with the
 * API's message. Pages keep a partial-failure field only for parts that may fail alone.
 */
export async function loadOrFail<R, V>(
  fetchFn: typeof fetch,
  token: string,
  document: TadaDocumentNode<R, V>,
  variables: V,
  notFound = 'There is no such page, or it is not yours to see.',
): Promise<R> {
  try {
    return await api(fetchFn, token, document, variables);
  } catch (e) {
    if (!(e instanceof ApiRequestError)) throw e;
    if (e.code === 'NOT_FOUND') error(404, { message: notFound, code: e.code });
    if (e.code === 'FORBIDDEN') error(403, { message: e.message, code: e.code });
    error(502, { message: e.message, code: e.code });
  }
}
