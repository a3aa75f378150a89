import { describe, expect, it } from 'vitest';
import { createInMemoryDiseaseOntology, describeDisease } from './disease-ontology.js';
import { uncoveredDiseases } from './disease-coverage.js';
import { MONDO } from './mondo-fixture.js';
import { fixtureOntology as ontology } from '../../../test/duo-test-builders.js';

describe('in-memory disease ontology', () => {
  it('ancestors include the term itself and every is_a ancestor up to the root', () => {
    expect([...ontology.ancestors(MONDO.colorectalCancer)].sort()).toEqual(
      [
        MONDO.colorectalCancer,
        MONDO.cancer,
        MONDO.neoplasm,
        MONDO.neoplasticDiseaseOrSyndrome,
        MONDO.disease,
      ].sort(),
    );
  });

  it('an unknown term is its own only ancestor', () => {
    expect([...ontology.ancestors('MONDO:9999999')]).toEqual(['MONDO:9999999']);
  });

  it('follows several parents and survives a cycle', () => {
    const o = createInMemoryDiseaseOntology([
      ['A', 'B'],
      ['A', 'C'],
      ['B', 'D'],
      ['D', 'A'],
    ]);
    expect([...o.ancestors('A')].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect([...o.ancestors('C')]).toEqual(['C']);
  });

  it('labels known terms and falls back to the CURIE', () => {
    expect(describeDisease(ontology, MONDO.colorectalCancer)).toBe(
      'colorectal cancer (MONDO:0005575)',
    );
    expect(describeDisease(ontology, 'MONDO:9999999')).toBe('MONDO:9999999');
    expect(ontology.label?.('toString')).toBeUndefined();
  });
});

describe('disease coverage', () => {
  it.each([
    ['a descendant is covered by its ancestor', [MONDO.colorectalCancer], [MONDO.cancer], []],
    ['a term covers itself', [MONDO.cancer], [MONDO.cancer], []],
    [
      'an ancestor is not covered by its descendant',
      [MONDO.cancer],
      [MONDO.colorectalCancer],
      [MONDO.cancer],
    ],
    [
      'a sibling is not covered',
      [MONDO.breastCancer],
      [MONDO.colorectalCancer],
      [MONDO.breastCancer],
    ],
    [
      'only the uncovered of several diseases are named',
      [MONDO.breastCancer, MONDO.type2Diabetes, MONDO.alzheimerDisease],
      [MONDO.cancer, MONDO.diabetesMellitus],
      [MONDO.alzheimerDisease],
    ],
    ['"disease" covers every disease', [MONDO.parkinsonDisease], [MONDO.disease], []],
  ])('%s', (_name, purpose, dataset, expected) => {
    expect(uncoveredDiseases(purpose, dataset, ontology)).toEqual(expected);
  });
});
