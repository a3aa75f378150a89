import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiRequestError, apiUrl, unwrap } from './api';

/** Replaces every File in `value` by null, recording it under its variable path. */
function extractFiles(value: unknown, path: string, files: Map<string, File>): unknown {
  if (value instanceof File) {
    files.set(path, value);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => extractFiles(v, `${path}.${i}`, files));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, extractFiles(v, `${path}.${k}`, files)]),
    );
  return value;
}

/** True when the variables hold a file, so they must go as a multipart request. */
export function hasFiles(variables: unknown): boolean {
  const files = new Map<string, File>();
  extractFiles(variables, 'variables', files);
  return files.size > 0;
}

/**
 * Sends a typed document whose variables hold files as a GraphQL multipart request
 * (https://github.com/jaydenseric/graphql-multipart-request-spec): `operations` holds the query
 * with null where each file goes, `map` names the variable path of each numbered file part.
 * Top-level errors throw, as in `api`.
 */
export async function apiUpload<R, V>(
  fetchFn: typeof fetch,
  token: string | null,
  document: TadaDocumentNode<R, V>,
  variables: V,
): Promise<R> {
  const files = new Map<string, File>();
  const withoutFiles = extractFiles(variables, 'variables', files);
  const body = new FormData();
  const paths = [...files.keys()];
  body.set('operations', JSON.stringify({ query: print(document), variables: withoutFiles }));
  body.set('map', JSON.stringify(Object.fromEntries(paths.map((p, i) => [String(i), [p]]))));
  paths.forEach((p, i) => {
    const file = files.get(p)!;
    body.set(String(i), file, file.name);
  });
  let response: Response;
  try {
    response = await fetchFn(apiUrl(), {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body,
    });
  } catch {
    throw new ApiRequestError(
      'The Consentome API is not reachable. Is it running?',
      'API_UNREACHABLE',
    );
  }
  return unwrap<R>(response);
}
