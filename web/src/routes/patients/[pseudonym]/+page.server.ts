import { error } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { graphql } from '$lib/graphql/graphql';
import { RecordEntryFields } from '$lib/graphql/fragments';
import { readMeasurementForm } from '$lib/record-form';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal } from '$lib/server/mutate';
import { readPostedCondition, submitRecordEntry } from '$lib/server/record-entry-actions';
import { loadRecordTermsForPicker } from '$lib/server/record-terms';
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

/** Both append mutations name the patient beside the entry. */
const appendFor = <I, R extends object>(
  document: TadaDocumentNode<R, { pseudonym: string; input: I }>,
  params: { pseudonym: string },
) => ({ document, variables: (input: I) => ({ pseudonym: params.pseudonym, input }) });

const ADDED_NOTICE = 'Added to the patient’s record.';

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
    patient.canAppend ? loadRecordTermsForPicker(fetch, token) : { terms: [], termsError: false },
  ]);
  return { patient, ...record, ...terms };
};

export const actions: Actions = {
  /** Adds a condition with the clinician and their institution as its source. */
  addCondition: async ({ locals, fetch, request, params }) => {
    const { token } = signedIn(locals);
    const read = await readPostedCondition(fetch, token, request, false);
    return submitRecordEntry(
      fetch,
      token,
      'addCondition',
      read,
      appendFor(AppendCondition, params),
      () => ADDED_NOTICE,
    );
  },
  /** Adds a measurement with the clinician and their institution as its source. */
  addMeasurement: async ({ locals, fetch, request, params }) => {
    const { token } = signedIn(locals);
    const read = readMeasurementForm(await request.formData(), false);
    return submitRecordEntry(
      fetch,
      token,
      'addMeasurement',
      read,
      appendFor(AppendMeasurement, params),
      () => ADDED_NOTICE,
    );
  },
};
