/**
 * Wire types of the contract's member registry (federation): the institutions of the network,
 * the address that writes for each, and the proposals by which membership changes. Field names
 * are the contract's snake_case JSON. See contracts/consent-ledger/src/members.rs for the rules.
 */

/** A member institution as admitted or proposed. */
export interface MemberInput {
  /** 2..=32 chars of `[a-z0-9-]`, never reused. */
  id: string;
  /** Printable ASCII, 1..=120 chars. */
  name: string;
  /** The chain address that writes for the member (never reused). */
  writer: string;
  /** JWKS URL of the member's GA4GH Passport issuer (https, or http on loopback). */
  passport_jwks_url: string;
  /** The issuer key ids other members accept (1..=8). */
  passport_key_ids: string[];
  /** The member's Beacon v2 endpoint. */
  beacon_url: string;
}

/** What a member may change about itself; absent fields stay. */
export type MemberUpdate = Partial<
  Pick<MemberInput, 'name' | 'passport_jwks_url' | 'passport_key_ids' | 'beacon_url'>
>;

export type MembershipChange = { join: { member: MemberInput } } | { remove: { id: string } };

export interface MemberRecord extends MemberInput {
  joined_height: number;
  /** `admin` (bootstrap) or `proposal:<id>`. */
  admitted_by: string;
  updated_height: number;
  /** Present once the member left (`by: "self"`) or was removed (`by: "proposal:<id>"`). */
  removed?: { height: number; by: string };
}

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'expired';

export interface ProposalRecord {
  id: number;
  change: MembershipChange;
  /** Member id of the proposer (its yes vote is counted). */
  proposer: string;
  created_height: number;
  expires_height: number;
  /** Member ids entitled to vote: the active members when it was proposed. */
  electorate: string[];
  yes: string[];
  no: string[];
  status: ProposalStatus;
  decided_height?: number;
}

export interface NetworkResponse {
  bootstrap_closed: boolean;
  active_members: number;
  proposals: number;
  /** Yes votes a new proposal needs: a strict majority of the active members. */
  votes_needed: number;
  voting_period_blocks: number;
}

export type MembershipExecuteMsg =
  | { admit_member: { member: MemberInput } }
  | { close_bootstrap: Record<string, never> }
  | { propose_membership: { change: MembershipChange } }
  | { vote_membership: { proposal_id: number; approve: boolean } }
  | { update_member: { update: MemberUpdate } }
  | { leave_network: Record<string, never> };

export type MembershipQueryMsg =
  | { members: { include_removed?: boolean } }
  | { member: { id: string } }
  | { member_by_writer: { address: string } }
  | { network: Record<string, never> }
  | { membership_proposal: { proposal_id: number } }
  | { membership_proposals: { start_after?: number; limit?: number } };
