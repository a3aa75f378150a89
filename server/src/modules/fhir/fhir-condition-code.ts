import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { SYSTEMS } from './fhir-systems.js';
import { snomedEquivalentsOf } from './snomed-conditions.js';

const HPO = 'http://purl.obolibrary.org/obo/hp.owl';
const SNOMED = 'http://snomed.info/sct';

/** The coding of a stored HPO or MONDO term, with its label as display when known. */
function termCoding(curie: string, label: string | null): Coding {
  return {
    system: curie.startsWith('HP:') ? HPO : SYSTEMS.mondo,
    code: curie,
    ...(label ? { display: label } : {}),
  };
}

/**
 * The code of a Condition as the record holds it: the stored HPO/MONDO term first, then each
 * SNOMED CT concept our curated table holds as its exact equivalent (snomed-conditions.ts). The
 * create answer and every later read build it here, so a clinician who posted a SNOMED CT code
 * sees both the term it was stored as and the code they know, and the two never disagree.
 */
export function conditionCode(curie: string, label: string | null): CodeableConcept {
  return {
    coding: [
      termCoding(curie, label),
      ...snomedEquivalentsOf(curie).map((c): Coding => ({
        system: SNOMED,
        code: c.conceptId,
        display: c.display,
      })),
    ],
  };
}
