import { fail } from '@sveltejs/kit';
import { ApiRequestError, apiText } from '$lib/server/api';
import { loadOntologyTerms } from '$lib/server/filtering-terms';
import { messageOf, requireRole } from '$lib/server/guard';
import { buildCohortQuery, readCohortForm, type OntologyTerm } from '$lib/cohort-form';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['researcher', 'ethics_board', 'steward', 'admin'] as const;

/** A protected figure as the API answers it. */
export interface Figure {
  display: string;
  count: number | null;
}
export interface CohortResult extends Figure {
  remainingBudget: number;
  breakdown: { permitted: Figure; ask: Figure; excluded: Figure } | null;
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ROLES, 'the cohort builder');
  const [datasets, terms] = await Promise.allSettled([
    apiText<{ datasets: { id: string; name: string }[] }>(
      fetch,
      `{ datasets { id name } }`,
      {},
      token,
    ),
    loadOntologyTerms(fetch),
  ]);
  return {
    datasets: datasets.status === 'fulfilled' ? datasets.value.datasets : [],
    terms: terms.status === 'fulfilled' ? terms.value : ([] as OntologyTerm[]),
    loadError:
      datasets.status === 'rejected'
        ? messageOf(datasets.reason)
        : terms.status === 'rejected'
          ? `Term suggestions are unavailable: ${messageOf(terms.reason)}`
          : null,
  };
};

export const actions: Actions = {
  count: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, 'the cohort builder');
    const values = readCohortForm(await request.formData());
    let terms: OntologyTerm[] = [];
    if (values.termQuery.trim()) terms = await loadOntologyTerms(fetch).catch(() => []);
    const { criteria, purpose, errors } = buildCohortQuery(values, terms);
    if (Object.keys(errors).length)
      return fail(400, { values, errors, result: null, message: null });
    // A term typed without JavaScript is now chosen: show it as such.
    const chosen = [...new Set([...(criteria.phenotypes ?? []), ...(criteria.diseases ?? [])])];
    const shown = { ...values, terms: chosen, termQuery: '' };
    try {
      const { cohortCount } = await apiText<{ cohortCount: CohortResult }>(
        fetch,
        `query($criteria: CohortCriteriaInput!, $purpose: ResearchPurposeInput) {
          cohortCount(criteria: $criteria, purpose: $purpose) {
            display count remainingBudget
            breakdown { permitted { display count } ask { display count } excluded { display count } }
          }
        }`,
        { criteria, purpose },
        token,
      );
      return { values: shown, errors: {}, result: cohortCount, message: null };
    } catch (e) {
      const status =
        e instanceof ApiRequestError
          ? e.code === 'RATE_LIMITED'
            ? 429
            : e.code === 'VALIDATION'
              ? 400
              : 502
          : 500;
      const message =
        e instanceof ApiRequestError && e.code === 'RATE_LIMITED'
          ? 'You have used your daily budget of count queries. Try again tomorrow.'
          : messageOf(e);
      return fail(status, { values: shown, errors: {}, result: null, message });
    }
  },
};
