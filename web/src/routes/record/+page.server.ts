import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { RecordEntryFields } from '$lib/graphql/fragments';
import { m } from '$lib/paraglide/messages';
import { readConditionForm, readMeasurementForm } from '$lib/record-form';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
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

const entryIdOf = (form: FormData) => String(form.get('entryId') ?? '');

export const actions: Actions = {
  /** The participant adds a condition or phenotype they report themselves. */
  addCondition: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const terms = String(form.get('codeQuery') ?? '').trim()
      ? await loadRecordTerms(fetch, token).catch(() => [])
      : [];
    const read = readConditionForm(form, terms, true);
    if (!read.ok)
      return fail(400, {
        action: 'addCondition' as const,
        values: read.values,
        errors: read.errors,
      });
    return mutationAction(
      fetch,
      token,
      AddCondition,
      { input: read.input },
      {
        kept: { action: 'addCondition' as const, values: read.values },
        done: () => ({ notice: m.record_added() }),
      },
    );
  },
  /** The participant adds their height, weight or smoking status. */
  addMeasurement: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const read = readMeasurementForm(await request.formData(), true);
    if (!read.ok)
      return fail(400, {
        action: 'addMeasurement' as const,
        values: read.values,
        errors: read.errors,
      });
    return mutationAction(
      fetch,
      token,
      AddMeasurement,
      { input: read.input },
      {
        kept: { action: 'addMeasurement' as const, values: read.values },
        done: () => ({ notice: m.record_added() }),
      },
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
