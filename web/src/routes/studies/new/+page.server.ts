import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { attachIrbLetter } from '$lib/server/irb-letter';
import { loadDatasetAndTermLists } from '$lib/server/dataset-and-term-lists';
import { loadOntologyTerms } from '$lib/server/filtering-terms';
import { messageOf, signedIn } from '$lib/server/guard';
import { Refusal, mutate, statusOf } from '$lib/server/mutate';
import type { OntologyTerm } from '$lib/cohort-form';
import {
  EMPTY_STUDY_FORM,
  MAX_IRB_BYTES,
  parseCriteria,
  readStudyForm,
  studyFormField,
  validateStudy,
  type StudyFormValues,
} from '$lib/study-form';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

/** The datasets to choose, with their data-use terms as badges. */
const DatasetChoices = graphql(`
  query DatasetChoices { datasets { id name dataUse { diseases terms { code label plain } } } }
`);

const CreateStudy = graphql(
  `
    mutation CreateStudy($input: CreateStudyInput!) { createStudy(input: $input) {
    ... on MutationCreateStudySuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

/** The form works without either list: it says which one is missing. */
export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return loadDatasetAndTermLists(fetch, token, DatasetChoices, 'Disease suggestions');
};

function refused(values: StudyFormValues, errors: FieldErrors, message: string, status = 400) {
  return fail(status, { values, errors, message });
}

export const actions: Actions = {
  /**
   * The cohort builder's "Use this cohort in a new study": its criteria and purpose arrive in
   * the body of a form post (never the URL) and prefill the form.
   */
  fromCohort: async ({ locals, request }) => {
    signedIn(locals);
    const form = await request.formData();
    const criteria = parseCriteria(String(form.get('criteria') ?? ''));
    const purpose = (() => {
      try {
        return JSON.parse(String(form.get('purpose') ?? '{}')) as {
          primary?: string;
          commercial?: boolean;
          diseases?: string[];
        };
      } catch {
        return {};
      }
    })();
    const values: StudyFormValues = {
      ...EMPTY_STUDY_FORM,
      cohortCriteria: criteria ? JSON.stringify(criteria) : '',
      datasets: criteria?.datasets ?? [],
      primary: purpose.primary ?? 'GRU',
      purposeDiseases: Array.isArray(purpose.diseases) ? purpose.diseases.map(String) : [],
      commercial: purpose.commercial === true,
    };
    return {
      values,
      errors: {} as FieldErrors,
      message: criteria ? null : 'The cohort could not be carried over; build it again.',
    };
  },

  /** Creates the draft, attaches the IRB letter's digest if one was chosen, opens the study. */
  create: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = readStudyForm(form);
    const irb = form.get('irb');
    const letter = irb instanceof File && irb.size > 0 ? irb : null;
    let terms: OntologyTerm[] = [];
    if (values.purposeDiseaseQuery.trim()) terms = await loadOntologyTerms(fetch).catch(() => []);
    const { errors, input } = validateStudy(values, terms);
    if (letter && letter.size > MAX_IRB_BYTES)
      errors.irb = 'The letter is larger than 10 MB; attach a smaller PDF.';
    if (Object.keys(errors).length)
      return refused(values, errors, 'Please correct the fields marked below.');
    let id: string;
    try {
      const created = await mutate(
        fetch,
        token,
        CreateStudy,
        { input },
        {
          fieldName: studyFormField,
        },
      );
      if (!created.ok)
        return refused(values, created.fieldErrors, created.message, statusOf(created.code));
      id = created.data.id;
    } catch (e) {
      return refused(values, {}, messageOf(e), 502);
    }
    let irbFailed = false;
    if (letter) {
      try {
        irbFailed = (await attachIrbLetter(fetch, token, id, letter)) !== null;
      } catch {
        irbFailed = true;
      }
    }
    redirect(303, `/studies/${id}?${irbFailed ? 'irb=failed' : 'created=1'}`);
  },
};
