import { ApiRequestError, apiUrl, type ApiError } from './api';

/**
 * Sends a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec):
 * `operations` holds the query with null where each file goes, `map` names the variable path of
 * each numbered file part. Top-level errors throw, as in `api`.
 */
export async function apiUpload<T>(
  fetchFn: typeof fetch,
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, File>,
  token: string | null,
): Promise<T> {
  const body = new FormData();
  const paths = Object.keys(files);
  body.set('operations', JSON.stringify({ query, variables }));
  body.set('map', JSON.stringify(Object.fromEntries(paths.map((p, i) => [String(i), [p]]))));
  paths.forEach((p, i) => {
    const file = files[p]!;
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
  const json = (await response.json().catch(() => ({}))) as { data?: T; errors?: ApiError[] };
  if (json.errors?.length) {
    const first = json.errors[0]!;
    throw new ApiRequestError(first.message, first.extensions?.code ?? 'API_ERROR');
  }
  if (!json.data) throw new ApiRequestError(`The API answered ${response.status}`, 'API_ERROR');
  return json.data;
}
