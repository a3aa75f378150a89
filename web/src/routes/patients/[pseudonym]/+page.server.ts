import { error, fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { RecordEntryFields } from '$lib/graphql/fragments';
import { readConditionForm, readMeasurementForm } from '$lib/record-form';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { loadRecordTerms } from '$lib/server/record-terms';
import type { Actions, PageServerLoad } from './$types';

const AuthorisedPatients = graphql(`
  query PatientAuthorisation { authorisedPatients { pseudonym canRead canAppend endsAt } }
`);

const PatientRecord = graphql(
  `
    query PatientRecord($pseudonym: String!) { patientRecord(pseudonym: $pseudonym) {
    ... on QueryPatientRecordSuccess { data { ...RecordEntryFields } } ...Refusal } }
  `,
  [RecordEntryFields, Refusal],
);

const AppendCondition = graphql(
  `
    mutation AppendConditionForPatient($pseudonym: String!, $input: RecordConditionInput!) {
    appendConditionForPatient(pseudonym: $pseudonym, input: $input) {
    ... on MutationAppendConditionForPatientSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const AppendMeasurement = graphql(
  `
    mutation AppendMeasurementForPatient($pseudonym: String!, $input: RecordMeasurementInput!) {
    appendMeasurementForPatient(pseudonym: $pseudonym, input: $input) {
    ... on MutationAppendMeasurementForPatientSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

/** The record, when the patient lets the clinician read it (the read is on their timeline). */
async function readRecord(fetchFn: typeof fetch, token: string, pseudonym: string) {
  try {
    const { patientRecord } = await api(fetchFn, token, PatientRecord, { pseudonym });
    if ('data' in patientRecord) return { entries: patientRecord.data, recordError: null };
    return { entries: [], recordError: patientRecord.message ?? 'The record was refused.' };
  } catch (e) {
    return { entries: [], recordError: messageOf(e) };
  }
}

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { token } = signedIn(locals);
  const { authorisedPatients } = await loadOrFail(fetch, token, AuthorisedPatients, {});
  const patient = authorisedPatients.find((p) => p.pseudonym === params.pseudonym);
  // Never authorised, or no longer: the same answer, so the page tells nothing about them.
  if (!patient)
    error(404, { message: 'This participant does not authorise you.', code: 'NOT_FOUND' });
  const [record, terms] = await Promise.all([
    patient.canRead
      ? readRecord(fetch, token, patient.pseudonym)
      : { entries: [], recordError: null },
    patient.canAppend
      ? loadRecordTerms(fetch, token).then(
          (t) => ({ terms: t, termsError: false }),
          () => ({ terms: [], termsError: true }),
        )
      : { terms: [], termsError: false },
  ]);
  return { patient, ...record, ...terms };
};

export const actions: Actions = {
  /** Adds a condition with the clinician and their institution as its source. */
  addCondition: async ({ locals, fetch, request, params }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const terms = String(form.get('codeQuery') ?? '').trim()
      ? await loadRecordTerms(fetch, token).catch(() => [])
      : [];
    const read = readConditionForm(form, terms, false);
    if (!read.ok)
      return fail(400, {
        action: 'addCondition' as const,
        values: read.values,
        errors: read.errors,
      });
    return mutationAction(
      fetch,
      token,
      AppendCondition,
      { pseudonym: params.pseudonym, input: read.input },
      {
        kept: { action: 'addCondition' as const, values: read.values },
        done: () => ({ notice: 'Added to the patient’s record.' }),
      },
    );
  },
  /** Adds a measurement with the clinician and their institution as its source. */
  addMeasurement: async ({ locals, fetch, request, params }) => {
    const { token } = signedIn(locals);
    const read = readMeasurementForm(await request.formData(), false);
    if (!read.ok)
      return fail(400, {
        action: 'addMeasurement' as const,
        values: read.values,
        errors: read.errors,
      });
    return mutationAction(
      fetch,
      token,
      AppendMeasurement,
      { pseudonym: params.pseudonym, input: read.input },
      {
        kept: { action: 'addMeasurement' as const, values: read.values },
        done: () => ({ notice: 'Added to the patient’s record.' }),
      },
    );
  },
};
