import { fail } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { graphql } from '$lib/graphql/graphql';
import { RecordEntryFields } from '$lib/graphql/fragments';
import { m } from '$lib/paraglide/messages';
import { readMeasurementForm } from '$lib/record-form';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { readPostedCondition, submitRecordEntry } from '$lib/server/record-entry-actions';
import { loadRecordTerms } from '$lib/server/record-terms';
import type { Actions, PageServerLoad } from './$types';

const Enrolled = graphql(`
  query RecordOwner { myParticipant { pseudonym } }
`);

const MyRecord = graphql(
  `
    query MyRecordEntries { myRecord { ...RecordEntryFields } }
  `,
  [RecordEntryFields],
);

const AddCondition = graphql(
  `
    mutation AddConditionToRecord($input: RecordConditionInput!) {
    addConditionToRecord(input: $input) {
    ... on MutationAddConditionToRecordSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const AddMeasurement = graphql(
  `
    mutation AddMeasurementToRecord($input: RecordMeasurementInput!) {
    addMeasurementToRecord(input: $input) {
    ... on MutationAddMeasurementToRecordSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const Retract = graphql(
  `
    mutation RetractRecordEntry($entryId: ID!) { retractRecordEntry(entryId: $entryId) {
    ... on MutationRetractRecordEntrySuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const Dispute = graphql(
  `
    mutation DisputeRecordEntry($entryId: ID!, $text: String!) {
    annotateRecordEntry(entryId: $entryId, kind: DISPUTE, text: $text) {
    ... on MutationAnnotateRecordEntrySuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myParticipant } = await loadOrFail(fetch, token, Enrolled, {});
  if (!myParticipant) return { linked: false as const };
  // The record and the term list may fail alone: the page says which, and keeps the rest.
  const [record, terms] = await Promise.allSettled([
    api(fetch, token, MyRecord, {}),
    loadRecordTerms(fetch, token),
  ]);
  return {
    linked: true as const,
    entries: record.status === 'fulfilled' ? record.value.myRecord : [],
    recordError: record.status === 'rejected' ? messageOf(record.reason) : null,
    terms: terms.status === 'fulfilled' ? terms.value : [],
    termsError: terms.status === 'rejected',
  };
};

/** Both add mutations take the entry alone: the record is the signed-in participant's. */
const own = <I, R extends object>(document: TadaDocumentNode<R, { input: I }>) => ({
  document,
  variables: (input: I) => ({ input }),
});

const entryIdOf = (form: FormData) => String(form.get('entryId') ?? '');

export const actions: Actions = {
  /** The participant adds a condition or phenotype they report themselves. */
  addCondition: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const read = await readPostedCondition(fetch, token, request, true);
    return submitRecordEntry(fetch, token, 'addCondition', read, own(AddCondition), m.record_added);
  },
  /** The participant adds their height, weight or smoking status. */
  addMeasurement: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const read = readMeasurementForm(await request.formData(), true);
    return submitRecordEntry(
      fetch,
      token,
      'addMeasurement',
      read,
      own(AddMeasurement),
      m.record_added,
    );
  },
  /** The participant retracts an entry they reported (asked twice on the page). */
  retract: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const entryId = entryIdOf(await request.formData());
    return mutationAction(
      fetch,
      token,
      Retract,
      { entryId },
      {
        kept: { action: 'retract' as const, entryId },
        done: () => ({ notice: m.record_retracted() }),
      },
    );
  },
  /** The participant disputes an entry a clinician or a study added; shown beside it. */
  dispute: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const entryId = entryIdOf(form);
    const text = String(form.get('text') ?? '').trim();
    if (!text)
      return fail(400, {
        action: 'dispute' as const,
        entryId,
        errors: { text: m.record_dispute_required() },
        message: m.record_dispute_required(),
      });
    return mutationAction(
      fetch,
      token,
      Dispute,
      { entryId, text },
      {
        kept: { action: 'dispute' as const, entryId },
        done: () => ({ notice: m.record_disputed() }),
      },
    );
  },
};
