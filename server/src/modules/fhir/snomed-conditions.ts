/**
 * SNOMED CT → MONDO/HPO for conditions clinicians post over FHIR: a small, hand-curated table of
 * common conditions, not the terminology. SNOMED CT content is licensed (SNOMED International,
 * national release centres), so Consentome ships no SNOMED release and no more than the concept
 * ids below, which appear in public FHIR examples and value sets.
 *
 * Source of every row: curated by hand for Consentome (2026-12) by matching the SNOMED CT
 * concept's fully specified name (given in `snomed`) with the label of the MONDO or HPO term
 * shipped in `server/data/ontology/*-subset.obo` — an exact-meaning match of the disorder, never a
 * broader or narrower one (a SNOMED concept with no exact equivalent in the subset is left out,
 * and is refused). MONDO records SNOMED CT equivalents as `SCTID:` cross-references in
 * mondo.obo: check a new row against them before adding it. A term that leaves the shipped
 * ontology (obsolete) makes the mapped code fail as an unknown term, like any other code.
 */
export const SNOMED_CONDITIONS: Readonly<Record<string, { snomed: string; curie: string }>> = {
  '195967001': { snomed: 'Asthma (disorder)', curie: 'MONDO:0004979' },
  '73211009': { snomed: 'Diabetes mellitus (disorder)', curie: 'MONDO:0005015' },
  '46635009': { snomed: 'Diabetes mellitus type 1 (disorder)', curie: 'MONDO:0005147' },
  '44054006': { snomed: 'Diabetes mellitus type 2 (disorder)', curie: 'MONDO:0005148' },
  '38341003': {
    snomed: 'Hypertensive disorder, systemic arterial (disorder)',
    curie: 'MONDO:0005044',
  },
  '22298006': { snomed: 'Myocardial infarction (disorder)', curie: 'MONDO:0005068' },
  '230690007': { snomed: 'Cerebrovascular accident (disorder)', curie: 'MONDO:0005098' },
  '84757009': { snomed: 'Epilepsy (disorder)', curie: 'MONDO:0005027' },
  '26929004': { snomed: 'Alzheimer’s disease (disorder)', curie: 'MONDO:0004975' },
  '49049000': { snomed: 'Parkinson’s disease (disorder)', curie: 'MONDO:0005180' },
  '58756001': { snomed: 'Huntington’s chorea (disorder)', curie: 'MONDO:0007739' },
  '58214004': { snomed: 'Schizophrenia (disorder)', curie: 'MONDO:0005090' },
  '13746004': { snomed: 'Bipolar disorder (disorder)', curie: 'MONDO:0004985' },
  '35489007': { snomed: 'Depressive disorder (disorder)', curie: 'MONDO:0002050' },
  '190905008': { snomed: 'Cystic fibrosis (disorder)', curie: 'MONDO:0009061' },
  '709044004': { snomed: 'Chronic kidney disease (disorder)', curie: 'MONDO:0005300' },
  '34000006': { snomed: 'Crohn’s disease (disorder)', curie: 'MONDO:0005011' },
  '64766004': { snomed: 'Ulcerative colitis (disorder)', curie: 'MONDO:0005101' },
  '69896004': { snomed: 'Rheumatoid arthritis (disorder)', curie: 'MONDO:0008383' },
  '55464009': { snomed: 'Systemic lupus erythematosus (disorder)', curie: 'MONDO:0007915' },
  '19346006': { snomed: 'Marfan’s syndrome (disorder)', curie: 'MONDO:0007947' },
  '28293008': {
    snomed: 'Hereditary factor VIII deficiency disease (disorder)',
    curie: 'MONDO:0010602',
  },
  '398036000': { snomed: 'Familial hypercholesterolemia (disorder)', curie: 'MONDO:0005439' },
  '414916001': { snomed: 'Obesity (disorder)', curie: 'MONDO:0011122' },
  '254837009': { snomed: 'Malignant neoplasm of breast (disorder)', curie: 'MONDO:0007254' },
  '363358000': { snomed: 'Malignant tumor of lung (disorder)', curie: 'MONDO:0008903' },
  '399068003': { snomed: 'Malignant tumor of prostate (disorder)', curie: 'MONDO:0008315' },
  '363443007': { snomed: 'Malignant tumor of ovary (disorder)', curie: 'MONDO:0008170' },
  '372244006': { snomed: 'Malignant melanoma (disorder)', curie: 'MONDO:0005105' },
  '93143009': { snomed: 'Leukemia, disease (disorder)', curie: 'MONDO:0005059' },
  '91861009': { snomed: 'Acute myeloid leukemia, disease (disorder)', curie: 'MONDO:0018874' },
  '118600007': { snomed: 'Malignant lymphoma (disorder)', curie: 'MONDO:0005062' },
  '91175000': { snomed: 'Seizure (finding)', curie: 'HP:0001250' },
};

/** The MONDO/HPO CURIE a SNOMED CT concept id maps to here, or null when it does not map. */
export function curieForSnomed(conceptId: string): string | null {
  return Object.hasOwn(SNOMED_CONDITIONS, conceptId) ? SNOMED_CONDITIONS[conceptId]!.curie : null;
}

/**
 * The SNOMED CT concepts the table maps to a MONDO/HPO CURIE (each an exact-meaning match, so at
 * most one in practice), with the concept's name less its semantic tag as display.
 */
export function snomedEquivalentsOf(curie: string): { conceptId: string; display: string }[] {
  return Object.entries(SNOMED_CONDITIONS)
    .filter(([, m]) => m.curie === curie)
    .map(([conceptId, m]) => ({ conceptId, display: m.snomed.replace(/ \([a-z ]+\)$/, '') }));
}
