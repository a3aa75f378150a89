import { fail } from '@sveltejs/kit';
import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { CountFigureFields } from '$lib/graphql/fragments';
import { ApiRequestError, api } from '$lib/server/api';
import { loadDatasetAndTermLists } from '$lib/server/dataset-and-term-lists';
import { loadOntologyTerms } from '$lib/server/filtering-terms';
import { messageOf, signedIn } from '$lib/server/guard';
import { buildCohortQuery, readCohortForm, type OntologyTerm } from '$lib/cohort-form';
import type { Actions, PageServerLoad } from './$types';

const DatasetNames = graphql(`
  query DatasetNames { datasets { id name } }
`);

const CohortCount = graphql(
  `
    query CohortCount($criteria: CohortCriteriaInput!, $purpose: ResearchPurposeInput) {
    cohortCount(criteria: $criteria, purpose: $purpose) { display count remainingBudget
    breakdown { permitted { ...CountFigureFields } permittedSigned { ...CountFigureFields }
    permittedRecorded { ...CountFigureFields } ask { ...CountFigureFields } excluded {
    ...CountFigureFields } } } }
  `,
  [CountFigureFields],
);

const NetworkCount = graphql(`
  query NetworkCount($criteria: CohortCriteriaInput!) {
    networkCohortCount(criteria: $criteria) {
      sites { memberId name home status count display detail }
      total { count atLeast display complete }
    }
  }
`);

/** Each institution's protected figure and the network total, as the builder shows them. */
export type NetworkResult = ResultOf<typeof NetworkCount>['networkCohortCount'];

/** The API's refusal as an HTTP status and words for the researcher. */
function refusal(e: unknown): { status: number; message: string } {
  const status =
    e instanceof ApiRequestError
      ? e.code === 'RATE_LIMITED'
        ? 429
        : e.code === 'VALIDATION'
          ? 400
          : e.code === 'CONFLICT'
            ? 409
            : 502
      : 500;
  const message =
    e instanceof ApiRequestError && e.code === 'RATE_LIMITED'
      ? 'You have used your daily budget of count queries. Try again tomorrow.'
      : messageOf(e);
  return { status, message };
}

/** A protected count with its consent breakdown, as the builder shows it. */
export type CohortResult = ResultOf<typeof CohortCount>['cohortCount'];

/** The builder works without either list: it says which one is missing. */
export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return loadDatasetAndTermLists(fetch, token, DatasetNames, 'Term suggestions');
};

export const actions: Actions = {
  count: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const values = readCohortForm(await request.formData());
    let terms: OntologyTerm[] = [];
    if (values.termQuery.trim()) terms = await loadOntologyTerms(fetch).catch(() => []);
    const { criteria, purpose, errors } = buildCohortQuery(values, terms);
    if (Object.keys(errors).length)
      return fail(400, { values, errors, result: null, network: null, message: null });
    // A term typed without JavaScript is now chosen: show it as such.
    const chosen = [...new Set([...(criteria.phenotypes ?? []), ...(criteria.diseases ?? [])])];
    const shown = { ...values, terms: chosen, termQuery: '' };
    try {
      const { cohortCount } = await api(fetch, token, CohortCount, { criteria, purpose });
      return { values: shown, errors: {}, result: cohortCount, network: null, message: null };
    } catch (e) {
      const { status, message } = refusal(e);
      return fail(status, { values: shown, errors: {}, result: null, network: null, message });
    }
  },
  /** The same criteria at every member institution of the network (their Beacons). */
  network: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const values = readCohortForm(await request.formData());
    let terms: OntologyTerm[] = [];
    if (values.termQuery.trim()) terms = await loadOntologyTerms(fetch).catch(() => []);
    const { criteria, errors } = buildCohortQuery(values, terms);
    if (Object.keys(errors).length)
      return fail(400, { values, errors, result: null, network: null, message: null });
    const chosen = [...new Set([...(criteria.phenotypes ?? []), ...(criteria.diseases ?? [])])];
    const shown = { ...values, terms: chosen, termQuery: '' };
    try {
      const { networkCohortCount } = await api(fetch, token, NetworkCount, { criteria });
      return {
        values: shown,
        errors: {},
        result: null,
        network: networkCohortCount,
        message: null,
      };
    } catch (e) {
      const { status, message } = refusal(e);
      return fail(status, { values: shown, errors: {}, result: null, network: null, message });
    }
  },
};
