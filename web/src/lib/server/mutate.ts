import { apiText } from './api';
import type { FieldErrors } from '$lib/validate';

/** A typed mutation answer, flattened: the success's data, or the error with its field errors. */
export type MutationOutcome<T> =
  { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors: FieldErrors };

interface Payload<T> {
  __typename: string;
  data?: T;
  message?: string;
  code?: string;
  fieldErrors?: { field: string; message: string }[];
}

/** "needs at least 3 characters" → "Needs at least 3 characters." */
function sentence(message: string): string {
  const s = message.trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/**
 * Runs a mutation whose result is the union `Mutation<Name>Success | Error | ValidationError`
 * and flattens it, so form actions branch on `ok` and show field errors beside their fields.
 * `selection` is what to read of the success's data; `fieldName` maps an API field path
 * (e.g. `purpose.diseases`) to the form's field name. Top-level errors (not signed in, API
 * down) throw as with `api`.
 */
export async function mutate<T>(
  fetchFn: typeof fetch,
  token: string,
  operation: { field: string; args: string; vars: string; selection: string },
  variables: Record<string, unknown>,
  fieldName: (apiField: string) => string = (f) => f,
): Promise<MutationOutcome<T>> {
  const success = `Mutation${operation.field[0]!.toUpperCase()}${operation.field.slice(1)}Success`;
  const result = await apiText<Record<string, Payload<T>>>(
    fetchFn,
    `mutation(${operation.vars}) { ${operation.field}(${operation.args}) {
      __typename
      ... on ${success} { data { ${operation.selection} } }
      ... on Error { message code }
      ... on ValidationError { fieldErrors { field message } }
    } }`,
    variables,
    token,
  );
  const payload = result[operation.field]!;
  if (payload.__typename === success) return { ok: true, data: payload.data as T };
  const fieldErrors: FieldErrors = {};
  for (const f of payload.fieldErrors ?? [])
    fieldErrors[fieldName(f.field)] ??= sentence(f.message);
  return {
    ok: false,
    code: payload.code ?? 'ERROR',
    message: payload.message ?? 'The request was refused.',
    fieldErrors,
  };
}

/** The HTTP status a form action answers for a refused mutation. */
export function statusOf(code: string): 400 | 403 | 404 | 409 {
  return code === 'CONFLICT' ? 409 : code === 'FORBIDDEN' ? 403 : code === 'NOT_FOUND' ? 404 : 400;
}
