import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Network = graphql(`
  query Network { network { bootstrapClosed votesNeeded votingPeriodBlocks height selfAddress
  self { id name passportJwksUrl passportKeyIds beaconUrl }
  members { id name writer passportJwksUrl passportKeyIds beaconUrl joinedHeight admittedBy
  removedHeight removedBy }
  proposals { id kind memberId memberName proposer status electorate yes no createdHeight
  expiresHeight } } }
`);
/** The network as the page shows it. */
export type NetworkData = ResultOf<typeof Network>['network'];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token, viewer } = signedIn(locals);
  const { network } = await loadOrFail(fetch, token, Network, {});
  return { network, canGovern: viewer.role === 'admin' };
};

const Propose = graphql(
  `
    mutation ProposeNetworkMember($input: ProposeMemberInput!) { proposeNetworkMember(input:
    $input) { ... on MutationProposeNetworkMemberSuccess { data { id status } } ...Refusal } }
  `,
  [Refusal],
);
const ProposeRemoval = graphql(
  `
    mutation ProposeNetworkRemoval($memberId: String!) { proposeNetworkRemoval(memberId:
    $memberId) { ... on MutationProposeNetworkRemovalSuccess { data { id status } } ...Refusal } }
  `,
  [Refusal],
);
const Vote = graphql(
  `
    mutation VoteOnNetworkProposal($proposalId: Int!, $approve: Boolean!) {
    voteOnNetworkProposal(proposalId: $proposalId, approve: $approve) {
    ... on MutationVoteOnNetworkProposalSuccess { data { id status } } ...Refusal } }
  `,
  [Refusal],
);
const UpdateKeys = graphql(
  `
    mutation UpdateOwnNetworkDetails($input: OwnMemberDetailsInput!) {
    updateOwnNetworkDetails(input: $input) { ... on MutationUpdateOwnNetworkDetailsSuccess {
    data { passportKeyIds } } ...Refusal } }
  `,
  [Refusal],
);

/** "a, b ,c" → ["a", "b", "c"] */
function list(value: FormDataEntryValue | null): string[] {
  return String(value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What each proposal status means, in a sentence for the notice. */
function outcome(status: string): string {
  if (status === 'passed') return 'It passed and is in effect.';
  if (status === 'rejected') return 'It was rejected.';
  return 'It waits for the other members’ votes.';
}

export const actions: Actions = {
  propose: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = {
      id: String(form.get('id') ?? '').trim(),
      name: String(form.get('name') ?? '').trim(),
      writer: String(form.get('writer') ?? '').trim(),
      passportJwksUrl: String(form.get('passportJwksUrl') ?? '').trim(),
      passportKeyIds: list(form.get('passportKeyIds')),
      beaconUrl: String(form.get('beaconUrl') ?? '').trim(),
    };
    return mutationAction(
      fetch,
      token,
      Propose,
      { input: values },
      {
        kept: {
          action: 'propose',
          values: { ...values, passportKeyIds: values.passportKeyIds.join(', ') },
        },
        done: (d) => ({ notice: `Proposal ${d.id} is made. ${outcome(d.status)}` }),
      },
    );
  },
  remove: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const memberId = String(form.get('memberId') ?? '');
    return mutationAction(
      fetch,
      token,
      ProposeRemoval,
      { memberId },
      {
        kept: { action: 'member', memberId },
        done: (d) => ({
          notice: `Proposal ${d.id} to remove ${memberId} is made. ${outcome(d.status)}`,
        }),
      },
    );
  },
  vote: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const proposalId = Number(form.get('proposalId'));
    const approve = form.get('approve') === 'yes';
    return mutationAction(
      fetch,
      token,
      Vote,
      { proposalId, approve },
      {
        kept: { action: 'vote', proposalId },
        done: (d) => ({
          notice: `Your ${approve ? 'yes' : 'no'} vote on proposal ${d.id} is on chain. ${outcome(d.status)}`,
        }),
      },
    );
  },
  keys: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return mutationAction(
      fetch,
      token,
      UpdateKeys,
      { input: { passportKeyIds: list(form.get('passportKeyIds')) } },
      {
        kept: { action: 'keys' },
        done: (d) => ({
          notice: `The network now accepts Passport keys ${d.passportKeyIds.join(', ')}.`,
        }),
      },
    );
  },
};
