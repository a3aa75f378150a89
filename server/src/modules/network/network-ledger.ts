import type { SigningConsentLedger } from '@consentome/contracts-client';

/**
 * What the network module needs of the consent ledger: the member registry's reads and the
 * calls this institution signs with its own writer key (`sender`).
 */
export type NetworkLedger = Pick<
  SigningConsentLedger,
  | 'sender'
  | 'members'
  | 'network'
  | 'memberByWriter'
  | 'membershipProposals'
  | 'proposeMembership'
  | 'voteMembership'
  | 'updateMember'
  | 'height'
>;
