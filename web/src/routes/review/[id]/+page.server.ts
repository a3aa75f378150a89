import { error, fail, isHttpError } from '@sveltejs/kit';
import { messageOf, requireRole } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import { revokeGrantAction } from '$lib/server/revoke-grant';
import { STUDY_ID, loadStudy, matchViews } from '$lib/server/study-query';
import { readVoteForm, validateVote, voteFormField } from '$lib/vote-form';
import type { DatasetMatchView } from '$lib/DatasetMatchList.svelte';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['ethics_board', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { viewer, token } = requireRole(locals, ROLES, 'reviews');
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such study.' });
  try {
    const study = await loadStudy(fetch, token, params.id, true);
    return {
      study,
      matches: matchViews(study),
      canVote:
        viewer.role === 'ethics_board' &&
        ['SUBMITTED', 'UNDER_REVIEW'].includes(study.status) &&
        !study.votes.some((v) => v.mine),
      loadError: null,
    };
  } catch (e) {
    if (isHttpError(e)) throw e;
    return {
      study: null,
      matches: [] as DatasetMatchView[],
      canVote: false,
      loadError: messageOf(e),
    };
  }
};

export const actions: Actions = {
  vote: async ({ locals, fetch, params, request }) => {
    const { token } = requireRole(locals, ['ethics_board'], 'voting');
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
    try {
      const r = await mutate<{ status: string }>(
        fetch,
        token,
        {
          field: 'castVote',
          args: 'input: $input',
          vars: '$input: VoteInput!',
          selection: 'status',
        },
        {
          input: {
            studyId: params.id,
            vote: values.vote,
            rationale: values.rationale.trim(),
            conditions: values.conditions,
            overrideReason: values.overrideReason.trim() || null,
          },
        },
        voteFormField,
      );
      if (!r.ok)
        return fail(statusOf(r.code), {
          action: 'vote',
          values,
          errors: r.fieldErrors,
          message: r.message,
        });
      return { action: 'vote', done: r.data.status };
    } catch (e) {
      return fail(502, {
        action: 'vote',
        values,
        errors: {} as FieldErrors,
        message: messageOf(e),
      });
    }
  },
  revoke: async ({ locals, fetch, params, request }) => {
    const { token } = requireRole(locals, ROLES, 'revoking a grant');
    const study = await loadStudy(fetch, token, params.id, false);
    if (!study.grant)
      return fail(409, {
        action: 'revoke',
        message: 'This study has no grant.',
        errors: {} as FieldErrors,
      });
    return revokeGrantAction(locals, fetch, request, study.grant.id);
  },
};
