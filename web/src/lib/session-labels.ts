/** Words for the session list on the account page, in the page's language. */
import { m } from './paraglide/messages';

/** RFC 8176 methods as a person would name them; others (e.g. `mfa`) add nothing to say. */
const METHOD_WORDS: Record<string, () => string> = {
  pwd: m.method_password,
  fed: m.method_institution,
  hwk: m.method_passkey,
  swk: m.method_passkey,
  // A second-factor passkey: proof of possession, hardware or not (see the server's PASSKEY_AMR).
  pop: m.method_passkey,
  rcode: m.method_recovery_code,
  otp: m.method_authenticator,
};

/** "password and an authenticator code", "a passkey": how a session was signed in. */
export function signedInWith(amr: readonly string[]): string {
  const words = [
    ...new Set(amr.map((method) => METHOD_WORDS[method]?.()).filter((w) => w !== undefined)),
  ];
  if (words.length === 0) return m.method_other();
  if (words.length === 1) return words[0]!;
  return m.method_and({ first: words.slice(0, -1).join(', '), last: words.at(-1)! });
}

/** The device as listed: unrecognised browsers (scripts, API clients) say so. */
export function deviceName(device: string | null): string {
  return device ?? m.sessions_unknown_device();
}
