import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const MyRecord = graphql(`
  query MyRecord { myParticipant { pseudonym status withdrawnAt } }
`);

const WithdrawConsent = graphql(
  `
    mutation WithdrawConsent { withdrawConsent(confirm: true) {
    ... on MutationWithdrawConsentSuccess { data { withdrawnAt studiesThatReceivedData } }
    ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myParticipant } = await loadOrFail(fetch, token, MyRecord, {});
  return { participant: myParticipant };
};

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    if (form.get('confirm') !== 'yes')
      return fail(400, {
        errors: { confirm: 'Tick the box to confirm that you want to withdraw.' },
        message: null,
      });
    return mutationAction(
      fetch,
      token,
      WithdrawConsent,
      {},
      {
        kept: {},
        done: (data) => ({ withdrawal: data }),
      },
    );
  },
};
