import { graphql } from '$lib/graphql/graphql';
import { StudyCountFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

/** The studies waiting for the board, and the decided ones, to find their grants again. */
const ReviewQueue = graphql(
  `
    query ReviewQueue { reviewQueue { id title status submittedAt owner { displayName
    institution } purpose { primary } match { decision } cohort { permitted {
    ...StudyCountFields } ask { ...StudyCountFields } excluded { ...StudyCountFields } } votes {
    mine vote } } studies(statuses: [APPROVED, REJECTED, REVOKED, EXPIRED, CLOSED_OUT]) { id
    title status decidedAt grant { id status expiresAt } } dataUseReviews { pending { datasetName
    change { id direction before after createdAt } } narrowed { datasetName change { id before
    after createdAt } grants { grantId studyId studyTitle } } } }
  `,
  [StudyCountFields],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, ReviewQueue, {});
  return {
    queue: data.reviewQueue,
    decided: data.studies,
    dataUse: data.dataUseReviews,
    now: Date.now(),
  };
};

const DecideDataUseChange = graphql(
  `
    mutation DecideDataUseChange($id: ID!, $approve: Boolean!) { decideDataUseChange(changeId:
    $id, approve: $approve) { ... on MutationDecideDataUseChangeSuccess { data { status } }
    ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** Approves or rejects a pending widening of a dataset's data use. */
  decideDataUse: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = String(form.get('changeId') ?? '');
    const approve = form.get('approve') === 'true';
    return mutationAction(
      fetch,
      token,
      DecideDataUseChange,
      { id, approve },
      { kept: { changeId: id }, fieldName: () => 'form', done: (d) => ({ decided: d.status }) },
    );
  },
};
