/** Words for the session list on the account page. */

/** RFC 8176 methods as a person would name them; others (e.g. `mfa`) add nothing to say. */
const METHOD_WORDS: Record<string, string> = {
  pwd: 'password',
  fed: 'your institution',
  hwk: 'a passkey',
  swk: 'a passkey',
  // A second-factor passkey: proof of possession, hardware or not (see the server's PASSKEY_AMR).
  pop: 'a passkey',
  rcode: 'a recovery code',
  otp: 'an authenticator code',
};

/** "password and an authenticator code", "a passkey": how a session was signed in. */
export function signedInWith(amr: readonly string[]): string {
  const words = [...new Set(amr.map((m) => METHOD_WORDS[m]).filter((w) => w !== undefined))];
  if (words.length === 0) return 'another way';
  if (words.length === 1) return words[0]!;
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

/** The device as listed: unrecognised browsers (scripts, API clients) say so. */
export function deviceName(device: string | null): string {
  return device ?? 'Unknown device';
}
