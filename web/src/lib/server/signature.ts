import { fail } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { messageOf } from './guard';
import { mutate, statusOf, type MutationOutcome, type SuccessData } from './mutate';
import type { SigningStatement } from '$lib/graphql/fragments';
import { SIGNATURE_FIELDS } from '$lib/signature-fields';

/*
 * Signed consent, the portal's server half. The browser asks a page's `statement` action for
 * what its passkey must sign, signs it (WebAuthn runs only in the browser) and submits the form
 * with the two `SIGNATURE_FIELDS`; the page's action passes them on as the mutation's `signature`.
 */

/** The `ConsentSignatureInput` a submitted form carries, or null (an unsigned decision). */
export function signatureOf(form: FormData): { time: string; response: string } | null {
  const time = form.get(SIGNATURE_FIELDS.time);
  const response = form.get(SIGNATURE_FIELDS.response);
  if (typeof time !== 'string' || typeof response !== 'string' || !time || !response) return null;
  return { time, response };
}

/** What a page's `statement` action answers: the statement, or why there is none. */
export type StatementAnswer = { statement: SigningStatement };

/**
 * Runs a `signingStatementFor…` mutation (selecting `...SigningStatementFields` and
 * `...Refusal`) and answers it to the browser; a refusal says the decision was not recorded.
 */
export async function statementAction<R extends object, V>(
  fetchFn: typeof fetch,
  token: string,
  document: TadaDocumentNode<R, V>,
  variables: V,
) {
  let outcome: MutationOutcome<SuccessData<R>>;
  try {
    outcome = await mutate(fetchFn, token, document, variables);
  } catch (e) {
    return fail(502, { message: notRecorded(messageOf(e)) });
  }
  if (!outcome.ok) return fail(statusOf(outcome.code), { message: notRecorded(outcome.message) });
  return { statement: outcome.data as SigningStatement } satisfies StatementAnswer;
}

/** The words for a signed decision the API refused: nothing was recorded, and why. */
export function notRecorded(reason: string): string {
  return `Your decision was not recorded: ${reason}`;
}
