import type { MemberRecord, ProposalRecord } from '@consentome/contracts-client';
import { builder } from '../../builder.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { ConflictError } from '../../errors/app-errors.js';
import type { NetworkLedger } from './network-ledger.js';
import {
  proposeMemberJoin,
  proposeMemberRemoval,
  readNetwork,
  updateOwnMemberDetails,
  voteOnProposal,
  type NetworkView,
} from './network.service.js';

function ledgerOf(ctx: GraphQLContext): NetworkLedger {
  const chain = ctx.services.chain;
  if (!chain) throw new ConflictError('This server is not connected to a chain');
  return chain.ledger;
}

const NetworkMemberType = builder.objectRef<MemberRecord>('NetworkMember').implement({
  description: 'An institution of the network, as the chain registry holds it.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    writer: t.exposeString('writer', { description: 'The chain address that writes for it.' }),
    passportJwksUrl: t.exposeString('passport_jwks_url'),
    passportKeyIds: t.exposeStringList('passport_key_ids'),
    beaconUrl: t.exposeString('beacon_url'),
    joinedHeight: t.exposeInt('joined_height'),
    admittedBy: t.exposeString('admitted_by', {
      description: '`admin` (bootstrap) or `proposal:<id>`.',
    }),
    removedHeight: t.int({ nullable: true, resolve: (m) => m.removed?.height ?? null }),
    removedBy: t.string({
      nullable: true,
      description: '`self` (left) or `proposal:<id>`; null while a member.',
      resolve: (m) => m.removed?.by ?? null,
    }),
  }),
});

const MembershipProposalType = builder.objectRef<ProposalRecord>('MembershipProposal').implement({
  description: 'A proposed change of membership and its votes (decided by a strict majority).',
  fields: (t) => ({
    id: t.int({ resolve: (p) => p.id }),
    kind: t.string({
      description: '`join` or `remove`.',
      resolve: (p) => ('join' in p.change ? 'join' : 'remove'),
    }),
    memberId: t.string({
      resolve: (p) => ('join' in p.change ? p.change.join.member.id : p.change.remove.id),
    }),
    memberName: t.string({
      nullable: true,
      description: 'The name a join proposal gives; null for a removal.',
      resolve: (p) => ('join' in p.change ? p.change.join.member.name : null),
    }),
    proposer: t.exposeString('proposer'),
    status: t.exposeString('status', {
      description: '`open`, `passed`, `rejected` or `expired`.',
    }),
    electorate: t.exposeStringList('electorate'),
    yes: t.exposeStringList('yes'),
    no: t.exposeStringList('no'),
    createdHeight: t.exposeInt('created_height'),
    expiresHeight: t.exposeInt('expires_height'),
  }),
});

const NetworkType = builder.objectRef<NetworkView>('Network').implement({
  description: 'The institutions that share the chain, read from the chain itself.',
  fields: (t) => ({
    bootstrapClosed: t.exposeBoolean('bootstrap_closed', {
      description: 'True once only the members (not the deploying admin) change membership.',
    }),
    votesNeeded: t.exposeInt('votes_needed'),
    votingPeriodBlocks: t.exposeInt('voting_period_blocks'),
    height: t.exposeInt('height'),
    selfAddress: t.exposeString('selfAddress'),
    self: t.field({ type: NetworkMemberType, nullable: true, resolve: (n) => n.self }),
    members: t.field({ type: [NetworkMemberType], resolve: (n) => n.members }),
    proposals: t.field({ type: [MembershipProposalType], resolve: (n) => n.proposals }),
  }),
});

builder.queryField('network', (t) =>
  t.field({
    type: NetworkType,
    description: 'The network of institutions on the chain. Staff only.',
    authScopes: { roles: ['admin', 'ethics_board', 'steward', 'researcher'] },
    resolve: (_root, _args, ctx) => readNetwork(ctx.viewer, ledgerOf(ctx)),
  }),
);

const ProposeMemberInput = builder.inputType('ProposeMemberInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    name: t.string({ required: true }),
    writer: t.string({ required: true }),
    passportJwksUrl: t.string({ required: true }),
    passportKeyIds: t.stringList({ required: true }),
    beaconUrl: t.string({ required: true }),
  }),
});

const OwnMemberDetailsInput = builder.inputType('OwnMemberDetailsInput', {
  fields: (t) => ({
    name: t.string({ required: false }),
    passportJwksUrl: t.string({ required: false }),
    passportKeyIds: t.stringList({ required: false }),
    beaconUrl: t.string({ required: false }),
  }),
});

builder.mutationField('proposeNetworkMember', (t) =>
  t.field({
    type: MembershipProposalType,
    description:
      'An administrator proposes, for this institution, that another institution join. Signed with this institution’s chain key; audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: ProposeMemberInput }) },
    resolve: (_root, { input }, ctx) => proposeMemberJoin(ctx.db, ctx.viewer, ledgerOf(ctx), input),
  }),
);

builder.mutationField('proposeNetworkRemoval', (t) =>
  t.field({
    type: MembershipProposalType,
    description: 'An administrator proposes that a member be removed. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { memberId: t.arg.string() },
    resolve: (_root, args, ctx) =>
      proposeMemberRemoval(ctx.db, ctx.viewer, ledgerOf(ctx), args.memberId),
  }),
);

builder.mutationField('voteOnNetworkProposal', (t) =>
  t.field({
    type: MembershipProposalType,
    description: 'An administrator votes for this institution on an open proposal. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { proposalId: t.arg.int(), approve: t.arg.boolean() },
    resolve: (_root, args, ctx) =>
      voteOnProposal(ctx.db, ctx.viewer, ledgerOf(ctx), args.proposalId, args.approve),
  }),
);

builder.mutationField('updateOwnNetworkDetails', (t) =>
  t.field({
    type: NetworkMemberType,
    description:
      'An administrator changes this institution’s public details (e.g. rotates its Passport keys). Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: OwnMemberDetailsInput }) },
    resolve: (_root, { input }, ctx) =>
      updateOwnMemberDetails(ctx.db, ctx.viewer, ledgerOf(ctx), {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.passportJwksUrl != null ? { passportJwksUrl: input.passportJwksUrl } : {}),
        ...(input.passportKeyIds != null ? { passportKeyIds: input.passportKeyIds } : {}),
        ...(input.beaconUrl != null ? { beaconUrl: input.beaconUrl } : {}),
      }),
  }),
);
