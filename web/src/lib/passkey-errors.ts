import { m } from './paraglide/messages';

/**
 * Words for a WebAuthn prompt that gave nothing. Cancelling the prompt, letting it time out and
 * having no matching passkey all reach the page as NotAllowedError (the browser does not say
 * which, on purpose), so the words cover all of them.
 */
export function promptFailure(e: unknown, outcome: string): string {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return `${outcome}: ${m.prompt_cancelled()}`;
  if (name === 'InvalidStateError') return `${outcome}: ${m.prompt_already_yours()}`;
  if (name === 'NotSupportedError' || name === 'SecurityError')
    return `${outcome}: ${m.prompt_unsupported()}`;
  return `${outcome}: ${e instanceof Error ? e.message : m.prompt_refused()}`;
}
