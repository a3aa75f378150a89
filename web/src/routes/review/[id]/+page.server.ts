import { error, fail } from '@sveltejs/kit';
import { mayAct } from '$lib/access';
import { graphql, type EnumOf } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { revokeGrantAction } from '$lib/server/revoke-grant';
import { STUDY_ID, loadStudy, matchViews } from '$lib/server/study-query';
import { readVoteForm, validateVote, voteFormField } from '$lib/vote-form';
import type { Actions, PageServerLoad } from './$types';

const Outlook = graphql(`
  query ConsentOutlook($id: ID!) { study(id: $id) { consentOutlook { total figures { permitted
  ask excluded } reasons { outcome reason count } conditions { key condition plain figures {
  permitted ask excluded } } } } }
`);

const Elections = graphql(`
  query StudyElections($id: ID!) { study(id: $id) { elections { id status deadlineAt decidedAt
  overdue canClose canAct myVote myConflict dac { id name quorum overdueRule chair { displayName } }
  datasets { name } } } }
`);

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { viewer, token } = signedIn(locals);
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such study.' });
  const study = await loadStudy(fetch, token, params.id, true);
  // The board's own view of the cohort; the page still works without it.
  const outlook = await api(fetch, token, Outlook, { id: params.id })
    .then((r) => r.study.consentOutlook)
    .catch(() => null);
  const { study: withElections } = await loadOrFail(fetch, token, Elections, { id: params.id });
  const elections = withElections.elections;
  // The committees the viewer can still vote for on this request (one election each).
  const votingFor = elections
    .filter((e) => e.status === 'OPEN' && e.canAct && !e.myVote && !e.myConflict)
    .map((e) => ({ id: e.dac.id, name: e.dac.name }));
  return {
    study,
    outlook,
    elections,
    votingFor,
    matches: matchViews(study),
    canVote:
      mayAct('/review/[id]', viewer.role, 'vote') &&
      ['SUBMITTED', 'UNDER_REVIEW'].includes(study.status) &&
      votingFor.length > 0,
  };
};

const CastVote = graphql(
  `
    mutation CastVote($input: VoteInput!) { castVote(input: $input) {
    ... on MutationCastVoteSuccess { data { status } } ...Refusal } }
  `,
  [Refusal],
);

const CloseOverdueElection = graphql(
  `
    mutation CloseOverdueElection($studyId: ID!, $dacId: ID!) { closeOverdueElection(studyId:
    $studyId, dacId: $dacId) { ... on MutationCloseOverdueElectionSuccess { data { status } }
    ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  close: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return mutationAction(
      fetch,
      token,
      CloseOverdueElection,
      { studyId: params.id, dacId: String(form.get('dacId') ?? '') },
      { kept: { action: 'close' }, done: (data) => ({ closed: data.status }) },
    );
  },
  vote: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = readVoteForm(form);
    const hasDenied = form.get('hasDenied') === 'true';
    const errors = validateVote(values, hasDenied);
    if (Object.keys(errors).length)
      return fail(400, {
        action: 'vote',
        values,
        errors,
        message: 'Please correct the fields marked below.',
      });
    return mutationAction(
      fetch,
      token,
      CastVote,
      {
        input: {
          studyId: params.id,
          dacId: String(form.get('dacId') ?? '') || null,
          // validateVote accepted it as one of the choices.
          vote: values.vote as EnumOf<'VoteChoice'>,
          rationale: values.rationale.trim(),
          conditions: values.conditions,
          overrideReason: values.overrideReason.trim() || null,
        },
      },
      {
        kept: { action: 'vote', values },
        fieldName: voteFormField,
        done: (data) => ({ done: data.status }),
      },
    );
  },
  revoke: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const study = await loadStudy(fetch, token, params.id, false);
    if (!study.grant)
      return fail(409, { action: 'revoke', message: 'This study has no grant.', errors: {} });
    return revokeGrantAction(locals, fetch, request, study.grant.id);
  },
};
