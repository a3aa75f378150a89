import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { env } from '$env/dynamic/private';

/** Where the portal's server side reaches the GraphQL API. */
export function apiUrl(): string {
  return env.API_URL ?? `http://127.0.0.1:${env.API_PORT ?? '4000'}/graphql`;
}

/** A GraphQL error as the API sends it. */
export interface ApiError {
  message: string;
  extensions?: { code?: string };
}

/** Thrown when the API cannot be reached or answers with top-level errors. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Calls the API from the portal's server side with a typed document (see `$lib/graphql`),
 * forwarding the session token as a bearer token. Top-level errors throw; typed errors of
 * mutations come back as data for the caller to show.
 */
export async function api<R, V>(
  fetchFn: typeof fetch,
  token: string | null,
  document: TadaDocumentNode<R, V>,
  variables: V,
): Promise<R> {
  return post<R>(fetchFn, print(document), variables, token);
}

/** Sends one GraphQL request and unwraps its data. */
async function post<T>(
  fetchFn: typeof fetch,
  query: string,
  variables: unknown,
  token: string | null,
): Promise<T> {
  let response: Response;
  try {
    response = await fetchFn(apiUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiRequestError(
      'The Consentome API is not reachable. Is it running?',
      'API_UNREACHABLE',
    );
  }
  return unwrap<T>(response);
}

/** The data of an API answer; its first top-level error, thrown, otherwise. */
export async function unwrap<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: ApiError[] };
  if (body.errors?.length) {
    const first = body.errors[0]!;
    throw new ApiRequestError(first.message, first.extensions?.code ?? 'API_ERROR');
  }
  if (!body.data) throw new ApiRequestError(`The API answered ${response.status}`, 'API_ERROR');
  return body.data;
}
