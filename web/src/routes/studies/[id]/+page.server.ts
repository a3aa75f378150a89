import { error, fail, isHttpError } from '@sveltejs/kit';
import { attachIrbLetter } from '$lib/server/irb-letter';
import { messageOf, requireRole } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import { STUDY_ID, loadStudy, matchViews, previewMatch } from '$lib/server/study-query';
import { MAX_IRB_BYTES } from '$lib/study-form';
import type { DatasetMatchView } from '$lib/DatasetMatchList.svelte';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['researcher', 'ethics_board', 'admin'] as const;

/** Why submitting failed, per API field, in the words of this page. */
const SUBMIT_FIELDS: Record<string, string> = {
  datasetIds: 'Name at least one dataset.',
  cohortCriteria: 'Attach a cohort first.',
};

export const load: PageServerLoad = async ({ locals, fetch, params, url }) => {
  const { viewer, token } = requireRole(locals, ROLES, 'studies');
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such study.' });
  try {
    const study = await loadStudy(fetch, token, params.id, false);
    const isOwner = viewer.role === 'researcher';
    let matches: DatasetMatchView[] = matchViews(study);
    let preview = false;
    if (study.status === 'DRAFT' && isOwner) {
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
      loadError: null,
    };
  } catch (e) {
    if (isHttpError(e)) throw e;
    return {
      study: null,
      matches: [] as DatasetMatchView[],
      preview: false,
      isOwner: false,
      notice: null,
      loadError: messageOf(e),
    };
  }
};

async function studyMutation(
  field: 'submitStudy' | 'withdrawStudy',
  event: Parameters<Actions[string]>[0],
) {
  const { token } = requireRole(event.locals, ['researcher'], 'this action');
  try {
    const r = await mutate<{ status: string }>(
      event.fetch,
      token,
      { field, args: 'id: $id', vars: '$id: ID!', selection: 'status' },
      { id: event.params.id },
    );
    if (!r.ok) {
      const errors: FieldErrors = {};
      for (const [k, v] of Object.entries(r.fieldErrors)) errors[k] = SUBMIT_FIELDS[k] ?? v;
      return fail(statusOf(r.code), { action: field, message: r.message, errors });
    }
    return { action: field, done: r.data.status };
  } catch (e) {
    return fail(502, { action: field, message: messageOf(e), errors: {} as FieldErrors });
  }
}

export const actions: Actions = {
  submit: (event) => studyMutation('submitStudy', event),
  withdraw: (event) => studyMutation('withdrawStudy', event),
  /** Attaches (or replaces) the IRB letter's digest on a draft. */
  evidence: async ({ locals, fetch, params, request }) => {
    const { token } = requireRole(locals, ['researcher'], 'this action');
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
