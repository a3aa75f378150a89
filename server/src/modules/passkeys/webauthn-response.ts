import { ValidationError } from '../../errors/app-errors.js';

/**
 * A WebAuthn response (the JSON text from @simplewebauthn/browser), parsed shallowly: an object
 * with a string `id` and a `response` object. The library checks the rest. Anything else is a
 * validation error on `field`, so the form can point at what was wrong.
 */
export function parseWebAuthnResponse<T>(field: string, text: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { response?: unknown }).response === 'object';
  if (!ok)
    throw new ValidationError('Not a WebAuthn response', [
      { field, message: 'expected the JSON of a WebAuthn credential' },
    ]);
  return value as T;
}
