import type { SigningConsentLedger, WebAuthnConfig } from '@consentome/contracts-client';

/** What keeping the relying party needs of the chain. */
export type RelyingPartyLedger = Pick<
  SigningConsentLedger,
  'sender' | 'memberByWriter' | 'siteWebauthn' | 'setSiteWebauthn'
>;

/**
 * Keeps this site's WebAuthn relying party on chain in step with its configuration, once it is
 * an active member: the contract checks the passkeys this site registers against it (each site
 * has its own origin; see the contract README, "Each site its own relying party"). A single site
 * that is no member keeps using the contract-wide one. Answers whether it wrote anything.
 */
export async function keepSiteRelyingParty(
  ledger: RelyingPartyLedger,
  rp: WebAuthnConfig,
): Promise<boolean> {
  const me = await ledger.memberByWriter(ledger.sender);
  if (!me || me.removed) return false;
  const current = await ledger.siteWebauthn(ledger.sender);
  if (current?.origin === rp.origin && current.rp_id === rp.rp_id) return false;
  await ledger.setSiteWebauthn({ origin: rp.origin, rp_id: rp.rp_id });
  return true;
}
