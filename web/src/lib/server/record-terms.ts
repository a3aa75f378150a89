import type { OntologyTerm } from '$lib/cohort-form';
import { graphql } from '$lib/graphql/graphql';
import { api } from './api';

const RecordTerms = graphql(`
  query RecordTerms { recordTerms { id label } }
`);

/**
 * The HPO and MONDO terms a record entry may name (the API's whole imported ontology, not only
 * the terms observed in participants as the Beacon lists them), for the term picker.
 */
export async function loadRecordTerms(
  fetchFn: typeof fetch,
  token: string,
): Promise<OntologyTerm[]> {
  return (await api(fetchFn, token, RecordTerms, {})).recordTerms;
}

/** The term list for the picker, or none with `termsError` set: the page works without it. */
export async function loadRecordTermsForPicker(
  fetchFn: typeof fetch,
  token: string,
): Promise<{ terms: OntologyTerm[]; termsError: boolean }> {
  return loadRecordTerms(fetchFn, token).then(
    (terms) => ({ terms, termsError: false }),
    () => ({ terms: [], termsError: true }),
  );
}
