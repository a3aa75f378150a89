import { deserialize } from '$app/forms';
import { startAuthentication } from '@simplewebauthn/browser';
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser';
import { m } from './paraglide/messages';
import { promptFailure } from './passkey-errors';
import { SIGNATURE_FIELDS } from './signature-fields';

/*
 * The browser half of passkeys. The session token never reaches the page (HttpOnly cookie), so
 * the browser talks to the API through the page's own form actions, and only the WebAuthn
 * prompts run here.
 */

/** A passkey as the browser needs it: the credential to ask the authenticator for. */
export interface PasskeyRef {
  credentialId: string;
}

/**
 * Posts `body` (form data, or plain fields to send as form data) to a form action of the current
 * page (e.g. `?/statement`) and answers its data. A refusal or error throws its message, so
 * callers show it as they would a form's.
 */
export async function callAction<T>(
  action: string,
  body: FormData | Record<string, string> = {},
): Promise<T> {
  if (!(body instanceof FormData)) {
    const fields = body;
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
  }
  let text: string;
  try {
    const response = await fetch(action, {
      method: 'POST',
      body,
      headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
    });
    text = await response.text();
  } catch {
    throw new Error('The portal could not be reached. Check your connection and try again.');
  }
  const result = deserialize(text);
  if (result.type === 'success') return result.data as T;
  if (result.type === 'failure')
    throw new Error(String((result.data as { message?: unknown })?.message ?? 'Refused.'));
  if (result.type === 'error')
    throw new Error(String((result.error as { message?: unknown })?.message ?? 'Failed.'));
  throw new Error('Your session has ended; sign in again.');
}

/** Asks the browser for an assertion by one of `passkeys` over `challenge` (base64url). */
export function assertWith(
  passkeys: readonly PasskeyRef[],
  challenge: string,
): Promise<AuthenticationResponseJSON> {
  return startAuthentication({
    optionsJSON: {
      challenge,
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, type: 'public-key' })),
      userVerification: 'preferred',
      timeout: 120_000,
    },
  });
}

/** Whether a decision form may go ahead: signed (or nothing to sign), or why it may not. */
export type SignOutcome = { ok: true } | { ok: false; message: string };

/**
 * Signs a consent decision before its form is submitted: asks the page's `statementAction` for
 * the statement the same form data would record, has the participant's passkey sign it, and
 * adds the signature to `formData` (fields read by `signatureOf` on the server).
 */
export async function signDecision(
  statementAction: string,
  formData: FormData,
  passkeys: readonly PasskeyRef[],
): Promise<SignOutcome> {
  let statement: { time: string; challenge: string | null };
  try {
    ({ statement } = await callAction<{ statement: typeof statement }>(statementAction, formData));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  // Nothing would go on the ledger (e.g. no choice changed): there is nothing to sign.
  if (!statement.challenge) return { ok: true };
  try {
    const assertion = await assertWith(passkeys, statement.challenge);
    formData.set(SIGNATURE_FIELDS.time, statement.time);
    formData.set(SIGNATURE_FIELDS.response, JSON.stringify(assertion));
    return { ok: true };
  } catch (e) {
    return { ok: false, message: promptFailure(e, m.decision_not_recorded()) };
  }
}
