/**
 * Words for a WebAuthn prompt that gave nothing. Cancelling the prompt, letting it time out and
 * having no matching passkey all reach the page as NotAllowedError (the browser does not say
 * which, on purpose), so the words cover all of them.
 */
export function promptFailure(e: unknown, outcome: string): string {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return `${outcome}: the browser’s passkey prompt was cancelled or timed out.`;
  if (name === 'InvalidStateError') return `${outcome}: this passkey is already one of yours.`;
  if (name === 'NotSupportedError' || name === 'SecurityError')
    return `${outcome}: this browser cannot use passkeys on this site.`;
  return `${outcome}: ${e instanceof Error ? e.message : 'the browser refused.'}`;
}
