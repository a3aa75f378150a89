import { ApiRequestError, apiUrl } from './api';
import type { OntologyTerm } from '$lib/cohort-form';

/** The API's origin: API_URL without its trailing /graphql. */
export function apiOrigin(): string {
  return apiUrl().replace(/\/graphql\/?$/, '');
}

const TTL_MS = 60_000;
let cache: { at: number; terms: OntologyTerm[] } | null = null;

/**
 * The HPO and MONDO terms observed in counted participants, with labels, from the Beacon's
 * public filtering-terms list (there is no GraphQL field for them). Cached for a minute.
 */
export async function loadOntologyTerms(fetchFn: typeof fetch): Promise<OntologyTerm[]> {
  if (cache && Date.now() - cache.at < TTL_MS) return cache.terms;
  let response: Response;
  try {
    response = await fetchFn(`${apiOrigin()}/api/beacon/filtering_terms`, {
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new ApiRequestError('The Consentome API is not reachable.', 'API_UNREACHABLE');
  }
  if (!response.ok)
    throw new ApiRequestError(`The term list answered ${response.status}`, 'API_ERROR');
  const body = (await response.json()) as {
    response?: { filteringTerms?: { id: string; label?: string }[] };
  };
  const terms = (body.response?.filteringTerms ?? [])
    .filter((t) => /^(HP|MONDO):\d{7}$/.test(t.id))
    .map((t) => ({ id: t.id, label: t.label ?? t.id }));
  cache = { at: Date.now(), terms };
  return terms;
}
