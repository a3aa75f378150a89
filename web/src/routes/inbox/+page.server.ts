import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PasskeyFields, PurposeFields, SigningStatementFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { notRecorded, signatureOf, statementAction } from '$lib/server/signature';
import type { Actions, PageServerLoad } from './$types';

/** The studies' requests to the participant, with the DUO words that explain purposes. */
const Inbox = graphql(
  `
    query Inbox { myConsentRequests { id status reason decision createdAt answeredAt study { id title
    laySummary laySummaryEs status purpose { ...PurposeFields } } } duoTerms { code plain }
    myPasskeys { ...PasskeyFields } }
  `,
  [PurposeFields, PasskeyFields],
);

const AnswerStatement = graphql(
  `
    mutation AnswerStatement($id: ID!, $decision: StudyDecision!) {
    signingStatementForAnswer(requestId: $id, decision: $decision) {
    ... on MutationSigningStatementForAnswerSuccess { data { ...SigningStatementFields } }
    ...Refusal } }
  `,
  [Refusal, SigningStatementFields],
);

const AnswerConsentRequest = graphql(
  `
    mutation AnswerConsentRequest($id: ID!, $decision: StudyDecision!,
    $signature: ConsentSignatureInput) {
    answerConsentRequest(requestId: $id, decision: $decision, signature: $signature) {
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
    passkeys: data.myPasskeys,
  };
};

/** The request and the answer a form names, or null when it names neither properly. */
function readAnswer(form: FormData) {
  const requestId = String(form.get('requestId') ?? '');
  const decision = String(form.get('decision') ?? '');
  if (!requestId || (decision !== 'PERMIT' && decision !== 'DENY')) return null;
  return { requestId, decision: decision as 'PERMIT' | 'DENY' };
}

export const actions: Actions = {
  /** What the participant's passkey signs for an answer (the browser asks before `answer`). */
  statement: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const answer = readAnswer(await request.formData());
    if (!answer) return fail(400, { message: 'Choose yes or no.' });
    return statementAction(fetch, token, AnswerStatement, {
      id: answer.requestId,
      decision: answer.decision,
    });
  },
  /** Answers a request, or changes the answer while the study runs. */
  answer: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const answer = readAnswer(form);
    if (!answer)
      return fail(400, {
        requestId: String(form.get('requestId') ?? ''),
        message: 'Choose yes or no.',
      });
    const signature = signatureOf(form);
    return mutationAction(
      fetch,
      token,
      AnswerConsentRequest,
      { id: answer.requestId, decision: answer.decision, signature },
      {
        kept: { requestId: answer.requestId },
        done: (data) => ({ answered: data.decision }),
        refusedMessage: signature ? notRecorded : undefined,
      },
    );
  },
};
