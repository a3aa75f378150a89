import { m } from './paraglide/messages';

/** A passkey as a decision's label needs it. */
interface NamedPasskey {
  credentialId: string;
  name: string;
}

/**
 * Who vouches for one recorded decision, in the participant's words and the page's language: their passkey (by the name
 * they gave it) or the institution that recorded it for them. `signedWith` is the credential id
 * the API reports (null: recorded by the institution). A passkey removed since still signed it,
 * so it is named as such rather than passed off as the institution's record.
 */
export function vouchedBy(
  signedWith: string | null | undefined,
  passkeys: readonly NamedPasskey[],
  institution: string,
): string {
  if (!signedWith) return m.vouched_institution({ institution });
  const key = passkeys.find((p) => p.credentialId === signedWith);
  return key ? m.vouched_passkey({ name: key.name }) : m.vouched_removed_passkey();
}
