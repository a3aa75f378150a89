import { fail } from '@sveltejs/kit';
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
    after createdAt } grants { grantId studyId studyTitle } } } reviewElections { id status
    deadlineAt overdue canAct myVote myConflict votes conflicts study { id } datasets { id name }
    dac { id name quorum chair { displayName } } } }
  `,
  [StudyCountFields],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, ReviewQueue, {});
  return {
    queue: data.reviewQueue,
    elections: data.reviewElections,
    decided: data.studies,
    dataUse: data.dataUseReviews,
    now: Date.now(),
  };
};

const VoteOnDataUseChange = graphql(
  `
    mutation VoteOnDataUseChange($id: ID!, $approve: Boolean!) { voteOnDataUseChange(changeId:
    $id, approve: $approve) { ... on MutationVoteOnDataUseChangeSuccess { data { status } }
    ...Refusal } }
  `,
  [Refusal],
);

const DeclareConflict = graphql(
  `
    mutation DeclareConflict($input: DeclareConflictInput!) { declareConflict(input: $input) {
    ... on MutationDeclareConflictSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** A member declares a conflict of interest on one election and stands aside from it. */
  declareConflict: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const studyId = String(form.get('studyId') ?? '');
    const dacId = String(form.get('dacId') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const kept = { action: 'conflict' as const, electionId: String(form.get('electionId') ?? '') };
    if (reason.length < 5)
      return fail(400, {
        ...kept,
        message: 'Say briefly why you have a conflict of interest (at least 5 characters).',
        errors: { reason: 'at least 5 characters' },
      });
    return mutationAction(
      fetch,
      token,
      DeclareConflict,
      { input: { studyId, dacId, reason } },
      { kept, fieldName: () => 'reason', done: () => ({ declared: true }) },
    );
  },
  /** Votes on a pending widening of a dataset's data use (the dataset's committee decides). */
  decideDataUse: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = String(form.get('changeId') ?? '');
    const approve = form.get('approve') === 'true';
    return mutationAction(
      fetch,
      token,
      VoteOnDataUseChange,
      { id, approve },
      { kept: { changeId: id }, fieldName: () => 'form', done: (d) => ({ decided: d.status }) },
    );
  },
};
