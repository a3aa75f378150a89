import {
  createInMemoryDiseaseOntology,
  type DiseaseOntology,
  type IsAEdge,
} from './disease-ontology.js';

/**
 * A handful of real MONDO terms for tests and demos. IDs and labels are MONDO's; the is_a paths
 * are shortened (MONDO has intermediate classes, e.g. between "cancer" and "colorectal cancer"),
 * which keeps every ancestor relation below true in the full ontology.
 */
export const MONDO = {
  disease: 'MONDO:0000001',
  neoplasticDiseaseOrSyndrome: 'MONDO:0023370',
  neoplasm: 'MONDO:0005070',
  cancer: 'MONDO:0004992',
  colorectalCancer: 'MONDO:0005575',
  breastCancer: 'MONDO:0007254',
  diabetesMellitus: 'MONDO:0005015',
  type1Diabetes: 'MONDO:0005147',
  type2Diabetes: 'MONDO:0005148',
  alzheimerDisease: 'MONDO:0004975',
  parkinsonDisease: 'MONDO:0005180',
} as const;

/** Labels of the fixture terms. */
export const MONDO_FIXTURE_LABELS: Readonly<Record<string, string>> = {
  [MONDO.disease]: 'disease',
  [MONDO.neoplasticDiseaseOrSyndrome]: 'neoplastic disease or syndrome',
  [MONDO.neoplasm]: 'neoplasm',
  [MONDO.cancer]: 'cancer',
  [MONDO.colorectalCancer]: 'colorectal cancer',
  [MONDO.breastCancer]: 'breast cancer',
  [MONDO.diabetesMellitus]: 'diabetes mellitus',
  [MONDO.type1Diabetes]: 'type 1 diabetes mellitus',
  [MONDO.type2Diabetes]: 'type 2 diabetes mellitus',
  [MONDO.alzheimerDisease]: 'Alzheimer disease',
  [MONDO.parkinsonDisease]: 'Parkinson disease',
};

/** The fixture's is_a edges (child, parent). */
export const MONDO_FIXTURE_EDGES: readonly IsAEdge[] = [
  [MONDO.neoplasticDiseaseOrSyndrome, MONDO.disease],
  [MONDO.neoplasm, MONDO.neoplasticDiseaseOrSyndrome],
  [MONDO.cancer, MONDO.neoplasm],
  [MONDO.colorectalCancer, MONDO.cancer],
  [MONDO.breastCancer, MONDO.cancer],
  [MONDO.diabetesMellitus, MONDO.disease],
  [MONDO.type1Diabetes, MONDO.diabetesMellitus],
  [MONDO.type2Diabetes, MONDO.diabetesMellitus],
  [MONDO.alzheimerDisease, MONDO.disease],
  [MONDO.parkinsonDisease, MONDO.disease],
];

/** An in-memory ontology over the fixture terms. */
export function createMondoFixtureOntology(): DiseaseOntology {
  return createInMemoryDiseaseOntology(MONDO_FIXTURE_EDGES, MONDO_FIXTURE_LABELS);
}
