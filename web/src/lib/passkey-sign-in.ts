import { startAuthentication } from '@simplewebauthn/browser';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { promptFailure } from './passkey-errors';

/** Posts JSON to one of the portal's endpoints; a refusal throws its message. */
async function postJson<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error('The portal could not be reached. Check your connection and try again.');
  }
  const data = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw new Error(data.message ?? 'Signing in with a passkey did not work.');
  return data;
}

/**
 * Signs in with a passkey this browser holds for the portal: asks for a challenge, lets the
 * browser offer its passkeys, and sends the answer; the portal sets the session cookie. Answers
 * null when signed in, or what to tell the person.
 */
export async function signInWithPasskey(): Promise<string | null> {
  let options: PublicKeyCredentialRequestOptionsJSON;
  try {
    ({ options } = await postJson<{ options: PublicKeyCredentialRequestOptionsJSON }>(
      '/login/passkey/options',
      {},
    ));
  } catch (e) {
    return (e as Error).message;
  }
  let response;
  try {
    response = await startAuthentication({ optionsJSON: options });
  } catch (e) {
    return promptFailure(e, 'You were not signed in');
  }
  try {
    await postJson('/login/passkey', { response });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
