import type { DiseaseOntology } from './disease-ontology.js';

/**
 * The purpose diseases that no dataset disease covers. A dataset disease covers a purpose disease
 * when it is that disease or one of its ancestors: data consented for "cancer" serves a study of
 * "colorectal cancer", but data consented for "colorectal cancer" does not serve a study of all
 * cancers.
 */
export function uncoveredDiseases(
  purposeDiseases: readonly string[],
  datasetDiseases: readonly string[],
  ontology: DiseaseOntology,
): string[] {
  const allowed = new Set(datasetDiseases);
  return [...new Set(purposeDiseases)].filter((disease) => {
    for (const ancestor of ontology.ancestors(disease)) if (allowed.has(ancestor)) return false;
    return true;
  });
}
