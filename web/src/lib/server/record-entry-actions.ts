import { fail } from '@sveltejs/kit';
import type { TadaDocumentNode } from 'gql.tada';
import { readConditionForm, type FormReading } from '$lib/record-form';
import { mutationAction } from './mutate';
import { loadRecordTerms } from './record-terms';

/**
 * Reads a posted condition form. The term list is fetched only when a code was typed (no
 * JavaScript, so no picker), and a failed fetch just means the typed text is sent as it is.
 */
export async function readPostedCondition(
  fetchFn: typeof fetch,
  token: string,
  request: Request,
  withNote: boolean,
): Promise<ReturnType<typeof readConditionForm>> {
  const form = await request.formData();
  const terms = String(form.get('codeQuery') ?? '').trim()
    ? await loadRecordTerms(fetchFn, token).catch(() => [])
    : [];
  return readConditionForm(form, terms, withNote);
}

/** The mutation that stores a read record entry, and how its variables wrap the input. */
export interface RecordEntryMutation<I, R extends object, V> {
  document: TadaDocumentNode<R, V>;
  variables: (input: I) => V;
}

/**
 * Answers a record entry form (`addCondition` or `addMeasurement`), for the participant's own
 * record and a clinician's patient page alike: a 400 with the values and errors when the
 * reading failed, else the mutation, answering `notice` on success. Which form answered and
 * its values are sent back either way, so the page shows them beside the right form.
 */
export async function submitRecordEntry<A extends string, I, Values, R extends object, V>(
  fetchFn: typeof fetch,
  token: string,
  action: A,
  read: FormReading<I, Values>,
  mutation: RecordEntryMutation<I, R, V>,
  notice: () => string,
) {
  if (!read.ok) return fail(400, { action, values: read.values, errors: read.errors });
  return mutationAction(fetchFn, token, mutation.document, mutation.variables(read.input), {
    kept: { action, values: read.values },
    done: () => ({ notice: notice() }),
  });
}
