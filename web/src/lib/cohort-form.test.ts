import { describe, expect, it } from 'vitest';
import {
  EMPTY_COHORT_FORM,
  buildCohortQuery,
  findTerm,
  matchTerms,
  readCohortForm,
  splitList,
  type CohortFormValues,
} from './cohort-form';

const TERMS = [
  { id: 'HP:0001250', label: 'Seizure' },
  { id: 'HP:0002069', label: 'Bilateral tonic-clonic seizure' },
  { id: 'MONDO:0007254', label: 'Breast cancer' },
];

const build = (values: Partial<CohortFormValues>) =>
  buildCohortQuery({ ...EMPTY_COHORT_FORM, ...values }, TERMS);

describe('lists and terms', () => {
  it('splits on commas, semicolons and white space, once each', () => {
    expect(splitList(' BRCA1, TP53;\nBRCA1  ')).toEqual(['BRCA1', 'TP53']);
  });

  it('finds a term by CURIE or exact label, and takes an unknown well-formed CURIE', () => {
    expect(findTerm('hp:0001250', TERMS)?.label).toBe('Seizure');
    expect(findTerm('breast CANCER', TERMS)?.id).toBe('MONDO:0007254');
    expect(findTerm('MONDO:0000001', TERMS)).toEqual({
      id: 'MONDO:0000001',
      label: 'MONDO:0000001',
    });
    expect(findTerm('cancer', TERMS)).toBeNull();
  });

  it('matches every word, labels starting with the query first', () => {
    expect(matchTerms('seizure', TERMS).map((t) => t.id)).toEqual(['HP:0001250', 'HP:0002069']);
    expect(matchTerms('tonic seizure', TERMS).map((t) => t.id)).toEqual(['HP:0002069']);
    expect(matchTerms('  ', TERMS)).toEqual([]);
  });
});

describe('readCohortForm', () => {
  it('reads the fields with their defaults', () => {
    const form = new FormData();
    form.append('datasets', 'd1');
    form.append('datasets', 'd2');
    form.set('commercial', 'on');
    expect(readCohortForm(form)).toMatchObject({
      datasets: ['d1', 'd2'],
      zygosity: 'ANY',
      primary: 'GRU',
      commercial: true,
      genes: '',
    });
  });
});

describe('buildCohortQuery', () => {
  it('builds the criteria and the purpose of a valid form', () => {
    const { criteria, purpose, errors } = build({
      datasets: ['d1'],
      genes: 'brca1 tp53',
      variants: 'chr17-7674220-c-t',
      regions: '17:7661779-7687538',
      zygosity: 'HETEROZYGOUS',
      terms: ['HP:0001250'],
      termQuery: 'Breast cancer',
      sex: 'female',
      ageMin: '18',
      ageMax: '65',
      primary: 'DS',
      purposeDiseases: 'mondo:0007254',
      commercial: true,
    });
    expect(errors).toEqual({});
    expect(criteria).toEqual({
      datasets: ['d1'],
      genes: ['BRCA1', 'TP53'],
      variants: ['CHR17-7674220-C-T'],
      regions: ['17:7661779-7687538'],
      zygosity: 'HETEROZYGOUS',
      phenotypes: ['HP:0001250'],
      diseases: ['MONDO:0007254'],
      sex: 'female',
      ageMin: 18,
      ageMax: 65,
    });
    expect(purpose).toEqual({ primary: 'DS', commercial: true, diseases: ['MONDO:0007254'] });
  });

  it('asks for nothing beyond the datasets when the form is empty', () => {
    expect(build({})).toEqual({
      criteria: {},
      purpose: { primary: 'GRU', commercial: false },
      errors: {},
    });
  });

  it('refuses each malformed field beside it', () => {
    const { errors, criteria } = build({
      genes: 'BRCA1 !!',
      variants: '17-1-C',
      regions: '17:200-100',
      termQuery: 'no such thing',
      ageMin: '-1',
      ageMax: 'old',
      primary: 'DS',
    });
    expect(errors.genes).toBe('“!!” is not a gene symbol (e.g. BRCA1).');
    expect(errors.variants).toMatch(/CHROM-POS-REF-ALT/);
    expect(errors.regions).toMatch(/START ≤ END/);
    expect(errors.termQuery).toBe('No phenotype or disease term matches “no such thing”.');
    expect(errors.ageMin).toBe('Enter a whole number of years from 0 to 150.');
    expect(errors.ageMax).toBe('Enter a whole number of years from 0 to 150.');
    expect(errors.purposeDiseases).toMatch(/Name at least one disease/);
    expect(criteria).toEqual({});
  });

  it('refuses an age range upside down and a disease that is not MONDO', () => {
    expect(build({ ageMin: '60', ageMax: '20' }).errors.ageMax).toBe(
      'The maximum age must not be below the minimum age.',
    );
    expect(build({ primary: 'DS', purposeDiseases: 'HP:0001250' }).errors.purposeDiseases).toBe(
      '“HP:0001250” is not a MONDO term like MONDO:0007254.',
    );
  });

  it('falls back to general research for an unknown purpose and ignores an unknown sex', () => {
    const { purpose, criteria } = build({ primary: 'EVERYTHING', sex: 'robot' });
    expect(purpose.primary).toBe('GRU');
    expect(criteria.sex).toBeUndefined();
  });
});
