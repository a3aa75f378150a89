import { error, fail } from '@sveltejs/kit';
import { mayAct } from '$lib/access';
import { graphql } from '$lib/graphql/graphql';
import { attachIrbLetter } from '$lib/server/irb-letter';
import { messageOf, signedIn } from '$lib/server/guard';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { STUDY_ID, loadStudy, matchViews, previewMatch } from '$lib/server/study-query';
import { MAX_IRB_BYTES } from '$lib/study-form';
import type { DatasetMatchView } from '$lib/DatasetMatchList.svelte';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

/** Why submitting failed, per API field, in the words of this page. */
const SUBMIT_FIELDS: Record<string, string> = {
  datasetIds: 'Name at least one dataset.',
  cohortCriteria: 'Attach a cohort first.',
};

export const load: PageServerLoad = async ({ locals, fetch, params, url }) => {
  const { viewer, token } = signedIn(locals);
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such study.' });
  const study = await loadStudy(fetch, token, params.id, false);
  const isOwner = mayAct('/studies/[id]', viewer.role, 'submit');
  let matches: DatasetMatchView[] = matchViews(study);
  let preview = false;
  if (study.status === 'DRAFT' && isOwner) {
    // The preview is a help, not the page: without it the frozen (empty) match shows.
    matches = await previewMatch(fetch, token, study).catch(() => []);
    preview = true;
  }
  return {
    study,
    matches,
    preview,
    isOwner,
    notice:
      url.searchParams.get('irb') === 'failed'
        ? 'The draft was created, but the IRB letter could not be attached. Attach it again below.'
        : url.searchParams.get('created')
          ? 'Draft created. Check it, then submit it to the ethics board.'
          : null,
  };
};

const SubmitStudy = graphql(
  `
    mutation SubmitStudy($id: ID!) { submitStudy(id: $id) { ... on MutationSubmitStudySuccess {
    data { status } } ...Refusal } }
  `,
  [Refusal],
);

const AcceptAgreement = graphql(
  `
    mutation AcceptAgreement($agreementId: ID!) { acceptDataUseAgreement(agreementId:
    $agreementId) { ... on MutationAcceptDataUseAgreementSuccess { data { version } } ...Refusal }
    }
  `,
  [Refusal],
);

const WithdrawStudy = graphql(
  `
    mutation WithdrawStudy($id: ID!) { withdrawStudy(id: $id) {
    ... on MutationWithdrawStudySuccess { data { status } } ...Refusal } }
  `,
  [Refusal],
);

/** Why submitting failed, in this page's words where it has them. */
function submitErrors(r: { fieldErrors: FieldErrors }): FieldErrors {
  const errors: FieldErrors = {};
  for (const [k, v] of Object.entries(r.fieldErrors)) errors[k] = SUBMIT_FIELDS[k] ?? v;
  return errors;
}

export const actions: Actions = {
  submit: ({ locals, fetch, params }) =>
    mutationAction(
      fetch,
      signedIn(locals).token,
      SubmitStudy,
      { id: params.id },
      {
        kept: { action: 'submitStudy' },
        done: (data) => ({ done: data.status }),
        refused: submitErrors,
      },
    ),
  withdraw: ({ locals, fetch, params }) =>
    mutationAction(
      fetch,
      signedIn(locals).token,
      WithdrawStudy,
      { id: params.id },
      {
        kept: { action: 'withdrawStudy' },
        done: (data) => ({ done: data.status }),
        refused: submitErrors,
      },
    ),
  /** The PI accepts the current version of a committee's data use agreement. */
  acceptAgreement: async ({ locals, fetch, request }) =>
    mutationAction(
      fetch,
      signedIn(locals).token,
      AcceptAgreement,
      { agreementId: String((await request.formData()).get('agreementId') ?? '') },
      {
        kept: { action: 'acceptAgreement' },
        done: () => ({ done: 'accepted' }),
      },
    ),
  /** Attaches (or replaces) the IRB letter's digest on a draft. */
  evidence: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const file = (await request.formData()).get('irb');
    const fail400 = (message: string) =>
      fail(400, { action: 'evidence', message, errors: { irb: message } as FieldErrors });
    if (!(file instanceof File) || file.size === 0) return fail400('Choose the letter to attach.');
    if (file.size > MAX_IRB_BYTES) return fail400('The letter is larger than 10 MB.');
    try {
      const refusal = await attachIrbLetter(fetch, token, params.id, file);
      if (refusal) return fail400(refusal);
      return { action: 'evidence', done: 'attached' };
    } catch (e) {
      return fail(502, { action: 'evidence', message: messageOf(e), errors: {} as FieldErrors });
    }
  },
};
