import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { OntologyGraph } from '../ontology/ontology-graph.js';
import { BeaconRequestError } from './beacon-request-error.js';
import type { BeaconFilter } from './beacon-request.js';
import { SEX_TERMS } from './beacon-vocabulary.js';

const ONTOLOGY_CURIE = /^(HP|MONDO):\d{7}$/;
const INDIVIDUAL_SCOPES = new Set(['individual', 'individuals']);

/**
 * Turns Beacon filters (combined with AND, as the spec says) into cohort criteria: HPO terms
 * become phenotypes and MONDO terms diseases, each matching its descendants too (the spec's
 * default `includeDescendantTerms: true`); NCIT sex terms become the sex criterion. Anything
 * this beacon cannot honour exactly is refused rather than silently ignored, so that a client
 * never mistakes a broader answer for the one it asked.
 */
export function criteriaFromFilters(
  filters: BeaconFilter[],
  ontology: OntologyGraph,
): Pick<CohortCriteria, 'phenotypes' | 'diseases' | 'sex'> {
  const phenotypes: string[] = [];
  const diseases: string[] = [];
  let sex: CohortCriteria['sex'] = null;
  for (const f of filters) {
    const id = f.id.trim();
    if (f.operator !== undefined || f.value !== undefined)
      throw new BeaconRequestError(
        `Filter ${id}: alphanumeric filters (operator/value) are not supported; use ontology terms from /filtering_terms`,
      );
    if (f.scope !== undefined && !INDIVIDUAL_SCOPES.has(f.scope))
      throw new BeaconRequestError(
        `Filter ${id}: scope "${f.scope}" is not supported; filters apply to individuals`,
      );
    if (f.includeDescendantTerms === false)
      throw new BeaconRequestError(
        `Filter ${id}: includeDescendantTerms=false is not supported; terms always include their descendants`,
      );
    if (f.similarity !== undefined && f.similarity !== 'exact')
      throw new BeaconRequestError(
        `Filter ${id}: similarity "${f.similarity}" is not supported; only exact`,
      );
    const sexTerm = SEX_TERMS[id];
    if (sexTerm) {
      if (sex && sex !== sexTerm.sex)
        throw new BeaconRequestError(
          'At most one sex filter: filters are combined with AND, so two sexes match nobody',
        );
      sex = sexTerm.sex;
      continue;
    }
    if (!ONTOLOGY_CURIE.test(id))
      throw new BeaconRequestError(
        `Filter ${id} is not supported: use HP:nnnnnnn, MONDO:nnnnnnn or an NCIT sex term (${Object.keys(SEX_TERMS).join(', ')})`,
      );
    if (!ontology.has(id))
      throw new BeaconRequestError(`Filter ${id} is not a known term; see /filtering_terms`);
    (id.startsWith('HP:') ? phenotypes : diseases).push(id);
  }
  return {
    ...(phenotypes.length ? { phenotypes } : {}),
    ...(diseases.length ? { diseases } : {}),
    ...(sex ? { sex } : {}),
  };
}
