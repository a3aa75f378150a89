import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction, type SuccessData } from '$lib/server/mutate';
import type { TadaDocumentNode } from 'gql.tada';
import type { Action, Actions, PageServerLoad } from './$types';

const SigningOfficialPage = graphql(`
  query SigningOfficialPage { signingOfficialQueue { id title laySummary submittedAt owner {
  displayName institution } datasets { id name } dataUseAgreements { agreement { id dacName
  version } acceptedByPi } application { completeSections totalSections sections { section
  title complete problems data } collaborators { name email institution hasAccount confirmedAt }
  } } dataUseAgreements { id dacName version text textSha256
  acceptedByMe } institutionLibraryCards { id researcher { displayName } issuedBy { displayName }
  issuedAt expiresAt revokedAt valid } institutionResearchers { id displayName email } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return loadOrFail(fetch, token, SigningOfficialPage, {});
};

const Approve = graphql(
  `
    mutation ApproveAsSo($studyId: ID!) { approveRequestAsSigningOfficial(studyId: $studyId) {
    ... on MutationApproveRequestAsSigningOfficialSuccess { data { title } } ...Refusal } }
  `,
  [Refusal],
);
const Return = graphql(
  `
    mutation ReturnAsSo($studyId: ID!, $reason: String!) { returnRequestToResearcher(studyId:
    $studyId, reason: $reason) { ... on MutationReturnRequestToResearcherSuccess { data { title } }
    ...Refusal } }
  `,
  [Refusal],
);
const Reject = graphql(
  `
    mutation RejectAsSo($studyId: ID!, $reason: String!) { rejectRequestAsSigningOfficial(studyId:
    $studyId, reason: $reason) { ... on MutationRejectRequestAsSigningOfficialSuccess { data {
    title } } ...Refusal } }
  `,
  [Refusal],
);
const Accept = graphql(
  `
    mutation AcceptAsSo($agreementId: ID!) { acceptDataUseAgreement(agreementId: $agreementId) {
    ... on MutationAcceptDataUseAgreementSuccess { data { dacName version } } ...Refusal } }
  `,
  [Refusal],
);
const Issue = graphql(
  `
    mutation IssueCard($researcherId: ID!, $expiresAt: DateTime!) { issueLibraryCard(researcherId:
    $researcherId, expiresAt: $expiresAt) { ... on MutationIssueLibraryCardSuccess { data {
    researcher { displayName } } } ...Refusal } }
  `,
  [Refusal],
);
const Revoke = graphql(
  `
    mutation RevokeCard($cardId: ID!) { revokeLibraryCard(cardId: $cardId) {
    ... on MutationRevokeLibraryCardSuccess { data { researcher { displayName } } } ...Refusal } }
  `,
  [Refusal],
);

const field = (form: FormData, name: string) => String(form.get(name) ?? '');

/** Returning and turning down a request: the same form (request and reason), another mutation. */
function decideWithReason<R extends object>(
  document: TadaDocumentNode<R, { studyId: string; reason: string }>,
  notice: (data: SuccessData<R>) => string,
): Action {
  return async ({ locals, fetch, request }) => {
    const form = await request.formData();
    const studyId = field(form, 'studyId');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      document,
      { studyId, reason: field(form, 'reason') },
      {
        kept: { action: 'request', studyId },
        done: (d) => ({ notice: notice(d) }),
      },
    );
  };
}

export const actions: Actions = {
  approve: async ({ locals, fetch, request }) => {
    const studyId = field(await request.formData(), 'studyId');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      Approve,
      { studyId },
      {
        kept: { action: 'request', studyId },
        done: (d) => ({ notice: `“${d.title}” went to the ethics board.` }),
      },
    );
  },
  return: decideWithReason(Return, (d) => `“${d.title}” went back to its researcher.`),
  reject: decideWithReason(Reject, (d) => `“${d.title}” was turned down.`),
  accept: async ({ locals, fetch, request }) => {
    const agreementId = field(await request.formData(), 'agreementId');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      Accept,
      { agreementId },
      {
        kept: { action: 'agreement' },
        done: (d) => ({ notice: `You accepted the ${d.dacName} agreement, version ${d.version}.` }),
      },
    );
  },
  issue: async ({ locals, fetch, request }) => {
    const form = await request.formData();
    const day = field(form, 'expiresOn');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      Issue,
      {
        researcherId: field(form, 'researcherId'),
        // The end of the chosen day, UTC; an empty day is refused by the API as not a date.
        expiresAt: day ? `${day}T23:59:59Z` : '',
      },
      {
        kept: { action: 'card' },
        done: (d) => ({ notice: `${d.researcher.displayName} has a library card.` }),
      },
    );
  },
  revoke: async ({ locals, fetch, request }) => {
    const cardId = field(await request.formData(), 'cardId');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      Revoke,
      { cardId },
      {
        kept: { action: 'card' },
        done: (d) => ({ notice: `${d.researcher.displayName}’s library card is revoked.` }),
      },
    );
  },
};
