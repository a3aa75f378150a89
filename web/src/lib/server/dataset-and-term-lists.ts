import type { TadaDocumentNode } from 'gql.tada';
import type { OntologyTerm } from '$lib/cohort-form';
import { api } from './api';
import { loadOntologyTerms } from './filtering-terms';
import { messageOf } from './guard';

/** The datasets and terms a form offers, and what could not be loaded (null when all was). */
export interface DatasetAndTermLists<D> {
  datasets: D[];
  terms: OntologyTerm[];
  loadError: string | null;
}

/**
 * Loads the datasets a form offers (by the page's own query, which selects what it shows of
 * each) and the ontology terms its picker suggests. The form works without either, so a failed
 * list is empty and `loadError` says which is missing: the datasets' failure first, else the
 * terms' after `termsMissing` (what the page calls its suggestions, e.g. "Term suggestions").
 */
export async function loadDatasetAndTermLists<D>(
  fetchFn: typeof fetch,
  token: string,
  datasetsQuery: TadaDocumentNode<{ datasets: D[] }, Record<string, never>>,
  termsMissing: string,
): Promise<DatasetAndTermLists<D>> {
  const [datasets, terms] = await Promise.allSettled([
    api(fetchFn, token, datasetsQuery, {}),
    loadOntologyTerms(fetchFn),
  ]);
  return {
    datasets: datasets.status === 'fulfilled' ? datasets.value.datasets : [],
    terms: terms.status === 'fulfilled' ? terms.value : [],
    loadError:
      datasets.status === 'rejected'
        ? messageOf(datasets.reason)
        : terms.status === 'rejected'
          ? `${termsMissing} are unavailable: ${messageOf(terms.reason)}`
          : null,
  };
}
