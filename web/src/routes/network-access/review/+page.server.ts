import { graphql } from '$lib/graphql/graphql';
import { RemoteRequestFields } from '$lib/graphql/remote-access';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const ToReview = graphql(
  `
    query RemoteAccessToReview { networkRequestCommittee dacs { id name }
    remoteAccessRequestsToReview { ...RemoteRequestFields } }
  `,
  [RemoteRequestFields],
);

const Decide = graphql(
  `
    mutation DecideRemoteAccess($id: ID!, $approve: Boolean!, $note: String) {
    decideRemoteAccess(id: $id, approve: $approve, note: $note) {
    ... on MutationDecideRemoteAccessSuccess { data { id status remoteStatus remoteError } }
    ...Refusal } }
  `,
  [Refusal],
);
const Designate = graphql(
  `
    mutation SetNetworkRequestCommittee($dacId: ID!) { setNetworkRequestCommittee(dacId: $dacId)
    { ... on MutationSetNetworkRequestCommitteeSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token, viewer } = signedIn(locals);
  const data = await loadOrFail(fetch, token, ToReview, {});
  return {
    requests: data.remoteAccessRequestsToReview,
    committee: data.networkRequestCommittee,
    dacs: data.dacs,
    isAdmin: viewer.role === 'admin',
  };
};

export const actions: Actions = {
  decide: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = String(form.get('id') ?? '');
    const approve = form.get('approve') === 'yes';
    const note = String(form.get('note') ?? '').trim();
    return mutationAction(
      fetch,
      token,
      Decide,
      { id, approve, note: note || null },
      {
        kept: { action: 'decide', id },
        done: (d) => ({
          notice:
            d.status === 'refused'
              ? 'Refused. Nothing was sent to the holding institution.'
              : d.remoteError
                ? `Approved. The holding institution could not be reached or refused: ${d.remoteError}`
                : `Approved and sent to the holding institution (${d.remoteStatus === 'approved' ? 'approved there' : 'waiting there'}).`,
        }),
      },
    );
  },
  designate: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const dacId = String((await request.formData()).get('dacId') ?? '');
    return mutationAction(
      fetch,
      token,
      Designate,
      { dacId },
      {
        kept: { action: 'designate' },
        done: () => ({ notice: 'That committee now decides requests for datasets elsewhere.' }),
      },
    );
  },
};
