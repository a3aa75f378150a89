import {
  isChainError,
  type MemberRecord,
  type MembershipChange,
  type NetworkResponse,
  type ProposalRecord,
  type Receipt,
} from '@consentome/contracts-client';
import type { Database } from '../../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import {
  MemberIdSchema,
  MemberProposalSchema,
  OwnDetailsSchema,
  type MemberProposal,
  type OwnDetails,
} from './network-input.js';
import type { NetworkLedger } from './network-ledger.js';
import { assertCanGovernNetwork, assertCanSeeNetwork } from './network.policy.js';

/** The network as this institution reads it from the chain. */
export interface NetworkView extends Omit<NetworkResponse, 'proposals'> {
  /** How many proposals were ever made. */
  proposalCount: number;
  /** The chain height the view was read at (proposals expire by height). */
  height: number;
  /** This institution's own entry: the member whose writer is this server's chain key. */
  self: MemberRecord | null;
  /** This server's chain address (what other members admit, to let it write). */
  selfAddress: string;
  /** Every member ever admitted, removed ones included. */
  members: MemberRecord[];
  /** The most recent proposals first (at most 50). */
  proposals: ProposalRecord[];
}

/** How many recent proposals the view lists. */
const RECENT_PROPOSALS = 50;

/** Reads the member registry from the chain: nothing about the other members is kept here. */
export async function readNetwork(
  actor: Actor | null,
  ledger: NetworkLedger,
): Promise<NetworkView> {
  assertCanSeeNetwork(actor);
  const [network, members, height, self] = await Promise.all([
    ledger.network(),
    ledger.members({ includeRemoved: true }),
    ledger.height(),
    ledger.memberByWriter(ledger.sender),
  ]);
  const after = Math.max(0, network.proposals - RECENT_PROPOSALS);
  const proposals = network.proposals
    ? await ledger.membershipProposals({ startAfter: after, limit: RECENT_PROPOSALS })
    : [];
  const { proposals: proposalCount, ...rest } = network;
  return {
    ...rest,
    proposalCount,
    height,
    self: self && !self.removed ? self : null,
    selfAddress: ledger.sender,
    members,
    proposals: proposals.reverse(),
  };
}

/** This institution's active entry, or a refusal saying it cannot take part. */
async function activeSelf(ledger: NetworkLedger): Promise<MemberRecord> {
  const self = await ledger.memberByWriter(ledger.sender);
  if (!self || self.removed)
    throw new ForbiddenError('This institution is not a member of the network');
  return self;
}

/** The contract's refusal in the API's terms; anything else (chain down) goes up unchanged. */
function asAppError(err: unknown): unknown {
  if (!isChainError(err) || err.code !== 'contract') return err;
  // The contract's message is ASCII and names no person: safe to show the administrator.
  const message = err.message.replace(/^.*?(unauthorized|invalid|conflict|rejected): /, '');
  switch (err.contractKind) {
    case 'unauthorized':
      return new ForbiddenError(message);
    case 'conflict':
      return new ConflictError(message);
    default:
      return new ValidationError(message);
  }
}

/** Sends one governance call signed by this institution, then audits it with its receipt. */
async function governed(
  db: Database,
  actor: Actor,
  action: AuditAction,
  payload: Record<string, unknown>,
  send: () => Promise<Receipt>,
): Promise<Receipt> {
  let receipt: Receipt;
  try {
    receipt = await send();
  } catch (err) {
    throw asAppError(err);
  }
  await db.transaction((tx) =>
    appendAuditEvent(tx, actor, {
      action,
      targetType: 'network',
      payload: { ...payload, txHash: receipt.txHash, height: receipt.height },
    }),
  );
  return receipt;
}

function toChainMember(m: MemberProposal) {
  return {
    id: m.id,
    name: m.name,
    writer: m.writer,
    passport_jwks_url: m.passportJwksUrl,
    passport_key_ids: m.passportKeyIds,
    beacon_url: m.beaconUrl,
  };
}

/** The newest proposal about `change` (the one just made). */
async function proposalJustMade(ledger: NetworkLedger): Promise<ProposalRecord> {
  const { proposals } = await ledger.network();
  const [made] = await ledger.membershipProposals({ startAfter: proposals - 1, limit: 1 });
  if (!made) throw new NotFoundError('Proposal');
  return made;
}

async function propose(
  db: Database,
  actor: Actor,
  ledger: NetworkLedger,
  change: MembershipChange,
  payload: Record<string, unknown>,
): Promise<ProposalRecord> {
  await activeSelf(ledger);
  await governed(db, actor, 'network.propose', payload, () => ledger.proposeMembership(change));
  return proposalJustMade(ledger);
}

/** Proposes that an institution join; this institution's yes vote is counted at once. */
export async function proposeMemberJoin(
  db: Database,
  actor: Actor | null,
  ledger: NetworkLedger,
  input: unknown,
): Promise<ProposalRecord> {
  assertCanGovernNetwork(actor);
  const member = parseInput(MemberProposalSchema, input);
  return propose(
    db,
    actor,
    ledger,
    { join: { member: toChainMember(member) } },
    {
      change: 'join',
      memberId: member.id,
    },
  );
}

/** Proposes that a member be removed from the network. */
export async function proposeMemberRemoval(
  db: Database,
  actor: Actor | null,
  ledger: NetworkLedger,
  memberId: unknown,
): Promise<ProposalRecord> {
  assertCanGovernNetwork(actor);
  const id = parseInput(MemberIdSchema, memberId);
  return propose(db, actor, ledger, { remove: { id } }, { change: 'remove', memberId: id });
}

/** Votes for this institution on an open proposal (once; the chain refuses a second vote). */
export async function voteOnProposal(
  db: Database,
  actor: Actor | null,
  ledger: NetworkLedger,
  proposalId: number,
  approve: boolean,
): Promise<ProposalRecord> {
  assertCanGovernNetwork(actor);
  if (!Number.isSafeInteger(proposalId) || proposalId < 1)
    throw new ValidationError('Pick a proposal', [
      { field: 'proposalId', message: 'Unknown proposal' },
    ]);
  await activeSelf(ledger);
  await governed(db, actor, 'network.vote', { proposalId, approve }, () =>
    ledger.voteMembership(proposalId, approve),
  );
  const [after] = await ledger.membershipProposals({ startAfter: proposalId - 1, limit: 1 });
  if (!after || after.id !== proposalId) throw new NotFoundError('Proposal');
  return after;
}

/** Changes this institution's own public details (e.g. rotates its Passport issuer keys). */
export async function updateOwnMemberDetails(
  db: Database,
  actor: Actor | null,
  ledger: NetworkLedger,
  input: unknown,
): Promise<MemberRecord> {
  assertCanGovernNetwork(actor);
  const details: OwnDetails = parseInput(OwnDetailsSchema, input);
  const self = await activeSelf(ledger);
  await governed(db, actor, 'network.update_self', { fields: Object.keys(details).sort() }, () =>
    ledger.updateMember({
      ...(details.name !== undefined ? { name: details.name } : {}),
      ...(details.passportJwksUrl !== undefined
        ? { passport_jwks_url: details.passportJwksUrl }
        : {}),
      ...(details.passportKeyIds !== undefined ? { passport_key_ids: details.passportKeyIds } : {}),
      ...(details.beaconUrl !== undefined ? { beacon_url: details.beaconUrl } : {}),
    }),
  );
  const updated = await ledger.memberByWriter(ledger.sender);
  return updated ?? self;
}
