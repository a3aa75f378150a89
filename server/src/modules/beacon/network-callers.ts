/** A caller known to the Beacon through another network member's visa. */
export interface NetworkCaller {
  /** The member institution that vouched for the caller (its id in the chain registry). */
  memberId: string;
  /** The caller's pseudonymous id at that institution (the visa's `sub`). */
  subject: string;
  /**
   * Our datasets the member's DAC granted the caller (a ControlledAccessGrants visa) and whose
   * network access setting here lets that grant count: they get per-dataset counts.
   */
  datasets?: string[];
}

/**
 * Recognises a query sent on a researcher's behalf by another member of the network: null when
 * the request carries no such visa (anonymous, a local session, or one of our own visas);
 * `refused` when it carries one that does not hold (unknown or removed member, unregistered
 * key, wrong audience, expired, a dataset that does not accept it); otherwise the caller.
 * Implemented by the federation module against the chain registry.
 */
export type NetworkCallerCheck = (
  request: Request,
) => Promise<{ caller: NetworkCaller } | { refused: string } | null>;
