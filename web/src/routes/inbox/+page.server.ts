import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PurposeFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

/** The studies' requests to the participant, with the DUO words that explain purposes. */
const Inbox = graphql(
  `
    query Inbox { myConsentRequests { id status decision createdAt answeredAt study { id title
    laySummary status purpose { ...PurposeFields } } } duoTerms { code plain } }
  `,
  [PurposeFields],
);

const AnswerConsentRequest = graphql(
  `
    mutation AnswerConsentRequest($id: ID!, $decision: StudyDecision!) {
    answerConsentRequest(requestId: $id, decision: $decision) {
    ... on MutationAnswerConsentRequestSuccess { data { decision } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, Inbox, {});
  const order = { PENDING: 0, ANSWERED: 1, CLOSED: 2 };
  return {
    requests: [...data.myConsentRequests].sort((a, b) => order[a.status] - order[b.status]),
    duoPlain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
  };
};

export const actions: Actions = {
  /** Answers a request, or changes the answer while the study runs. */
  answer: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const requestId = String(form.get('requestId') ?? '');
    const decision = String(form.get('decision') ?? '');
    if (!requestId || (decision !== 'PERMIT' && decision !== 'DENY'))
      return fail(400, { requestId, message: 'Choose yes or no.' });
    return mutationAction(
      fetch,
      token,
      AnswerConsentRequest,
      { id: requestId, decision },
      {
        kept: { requestId },
        done: (data) => ({ answered: data.decision }),
      },
    );
  },
};
