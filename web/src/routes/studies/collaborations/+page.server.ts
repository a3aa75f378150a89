import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Invitations = graphql(`
  query CollaborationInvitations { collaborationInvitations { studyId title confirmedAt } }
`);

const Confirm = graphql(
  `
    mutation ConfirmCollaboration($id: ID!) { confirmCollaboration(studyId: $id) {
    ... on MutationConfirmCollaborationSuccess { data { studyId } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return await loadOrFail(fetch, token, Invitations, {});
};

export const actions: Actions = {
  confirm: async ({ locals, fetch, request }) => {
    const id = String((await request.formData()).get('studyId') ?? '');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      Confirm,
      { id },
      {
        kept: {},
        done: () => ({ confirmed: true }),
      },
    );
  },
};
