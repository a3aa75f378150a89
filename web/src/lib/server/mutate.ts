import { fail, type ActionFailure } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { graphql } from '$lib/graphql/graphql';
import type { FieldErrors } from '$lib/validate';
import { api } from './api';
import { apiUpload, hasFiles } from './api-upload';
import { messageOf } from './guard';

/**
 * What every mutation document selects besides its success: the typed error's type, message
 * and code, and for a ValidationError the field errors. Spread it as `...Refusal` beside
 * `... on Mutation<Name>Success { data { … } }`.
 */
export const Refusal = graphql(`
  fragment Refusal on Error { __typename message code ... on ValidationError { fieldErrors {
  field message } } }
`);

/** A typed mutation answer, flattened: the success's data, or the error with its field errors. */
export type MutationOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; type: string; code: string; message: string; fieldErrors: FieldErrors };

/** The one root field's answer of a mutation document. */
type Payload<R> = R[keyof R];
/** The data of a mutation's success member. */
export type SuccessData<R> = Extract<Payload<R>, { data: unknown }>['data'];

interface RefusalPayload {
  __typename: string;
  message?: string;
  code?: string;
  fieldErrors?: { field: string; message: string }[];
}

/** How to read a mutation's field errors. */
export interface MutateOptions {
  /** Maps an API field path (e.g. `purpose.diseases`) to the form's field name. */
  fieldName?: (apiField: string) => string;
}

/** "needs at least 3 characters" → "Needs at least 3 characters." */
export function sentence(message: string): string {
  const s = message.trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/**
 * Runs a mutation document whose one field answers `Mutation<Name>Success | …Error` (selecting
 * `...Refusal`) and flattens it (sending files, if the variables hold any, as a multipart
 * request), so every form action branches on `ok` and shows field errors
 * beside their fields. Top-level errors (not signed in, API down) throw as with `api`.
 */
export async function mutate<R extends object, V>(
  fetchFn: typeof fetch,
  token: string | null,
  document: TadaDocumentNode<R, V>,
  variables: V,
  options: MutateOptions = {},
): Promise<MutationOutcome<SuccessData<R>>> {
  // Variables holding files go as a multipart request, the rest as JSON.
  const result = hasFiles(variables)
    ? await apiUpload(fetchFn, token, document, variables)
    : await api(fetchFn, token, document, variables);
  const payload = Object.values(result)[0] as RefusalPayload & { data?: unknown };
  if ('data' in payload) return { ok: true, data: payload.data as SuccessData<R> };
  const fieldName = options.fieldName ?? ((f: string) => f);
  const fieldErrors: FieldErrors = {};
  for (const f of payload.fieldErrors ?? [])
    fieldErrors[fieldName(f.field)] ??= sentence(f.message);
  return {
    ok: false,
    type: payload.__typename,
    code: payload.code ?? 'ERROR',
    message: payload.message ?? 'The request was refused.',
    fieldErrors,
  };
}

/** The HTTP status a form action answers for a refused mutation. */
export function statusOf(code: string): 400 | 403 | 404 | 409 | 429 {
  return code === 'CONFLICT'
    ? 409
    : code === 'FORBIDDEN'
      ? 403
      : code === 'NOT_FOUND'
        ? 404
        : code === 'RATE_LIMITED'
          ? 429
          : 400;
}

/** What a refused form action hands back to its page, beside the values it keeps. */
export interface Refused {
  message: string;
  errors: FieldErrors;
  /** The typed error, e.g. `LastAdminError`, or `API_ERROR` when the API failed. */
  errorType: string;
}

/** How a form action turns a mutation's outcome into its answer. */
export interface ActionHandlers<D, S, K> {
  /** What the page gets on success (beside `kept`). */
  done: (data: D) => S;
  /** Sent back either way: which form answered, the values to show again, … */
  kept: K;
  /** Maps an API field path to the form's field name. */
  fieldName?: (apiField: string) => string;
  /** Rewrites the field errors of a refusal, e.g. into the page's own words. */
  refused?: (outcome: Extract<MutationOutcome<D>, { ok: false }>) => FieldErrors;
  /** Rewrites the message of a refusal, e.g. to say a signed decision was not recorded. */
  refusedMessage?: (message: string) => string;
}

/**
 * The one way form actions run a mutation: `mutate`, then success as `{ ...kept, ...done(data) }`,
 * a refusal as `fail(status, { ...kept, message, errors, errorType })` with field errors beside
 * their fields, and an unreachable API as the same failure with status 502.
 */
export async function mutationAction<R extends object, V, S extends object, K extends object>(
  fetchFn: typeof fetch,
  token: string | null,
  document: TadaDocumentNode<R, V>,
  variables: V,
  handlers: ActionHandlers<SuccessData<R>, S, K>,
): Promise<(K & S) | ActionFailure<K & Refused>> {
  let outcome: MutationOutcome<SuccessData<R>>;
  try {
    outcome = await mutate(fetchFn, token, document, variables, {
      fieldName: handlers.fieldName,
    });
  } catch (e) {
    const refused: Refused = { message: messageOf(e), errors: {}, errorType: 'API_ERROR' };
    return fail(502, { ...handlers.kept, ...refused });
  }
  if (outcome.ok) return { ...handlers.kept, ...handlers.done(outcome.data) };
  const refused: Refused = {
    message: handlers.refusedMessage ? handlers.refusedMessage(outcome.message) : outcome.message,
    errors: handlers.refused ? handlers.refused(outcome) : outcome.fieldErrors,
    errorType: outcome.type,
  };
  return fail(statusOf(outcome.code), { ...handlers.kept, ...refused });
}
