import { describe, expect, it } from 'vitest';
import {
  EMPTY_STUDY_FORM,
  describeCriteria,
  parseCriteria,
  readStudyForm,
  studyFormField,
  validateStudy,
  type StudyFormValues,
} from './study-form';

const TERMS = [{ id: 'MONDO:0007254', label: 'Breast cancer' }];
const VALID: StudyFormValues = {
  ...EMPTY_STUDY_FORM,
  title: '  BRCA1 carriers  ',
  laySummary: 'We look at how often BRCA1 variants lead to breast cancer.',
  datasets: ['d1', 'd1', 'd2'],
};

describe('validateStudy', () => {
  it('sends the facts the dataset conditions are checked against, when given', () => {
    const { errors, input } = validateStudy(
      {
        ...VALID,
        institution: ' Uni A ',
        userIds: 'u1, u2, u1',
        projectId: 'p1',
        geography: 'EU',
        plannedPublication: '2028-01-31',
      },
      TERMS,
    );
    expect(errors).toEqual({});
    expect(input.purpose).toEqual({
      primary: 'GRU',
      commercial: false,
      institution: 'Uni A',
      userIds: ['u1', 'u2'],
      projectId: 'p1',
      geography: 'EU',
      plannedPublication: '2028-01-31',
    });
    expect(validateStudy({ ...VALID, plannedPublication: 'soon' }, TERMS).errors).toEqual({
      plannedPublication: 'Enter a date.',
    });
    expect(studyFormField('purpose.plannedPublication')).toBe('plannedPublication');
  });

  it('builds the input of a valid form, asking for everyone in its datasets', () => {
    const { errors, input } = validateStudy(
      { ...VALID, collaborators: 'Dr A\n\n  Dr B  \n' },
      TERMS,
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      title: 'BRCA1 carriers',
      laySummary: VALID.laySummary,
      laySummaryEs: null,
      purpose: { primary: 'GRU', commercial: false },
      collaborators: ['Dr A', 'Dr B'],
      datasetIds: ['d1', 'd2'],
      cohortCriteria: { datasets: ['d1', 'd2'] },
    });
  });

  it('sends a Spanish lay summary when given, and holds it to the same lengths', () => {
    const es = 'Estudiamos con qué frecuencia las variantes de BRCA1 causan cáncer de mama.';
    const { errors, input } = validateStudy({ ...VALID, laySummaryEs: `  ${es} ` }, TERMS);
    expect(errors).toEqual({});
    expect(input.laySummaryEs).toBe(es);
    expect(validateStudy({ ...VALID, laySummaryEs: 'Muy corto.' }, TERMS).errors).toEqual({
      laySummaryEs: 'Write at least 20 characters, or leave the Spanish summary empty.',
    });
  });

  it('resolves a typed disease by label for disease-specific research', () => {
    const { errors, input } = validateStudy(
      { ...VALID, primary: 'DS', purposeDiseaseQuery: 'breast cancer' },
      TERMS,
    );
    expect(errors).toEqual({});
    expect(input.purpose).toEqual({
      primary: 'DS',
      commercial: false,
      diseases: ['MONDO:0007254'],
    });
  });

  it('refuses what participants and the API could not work with', () => {
    const { errors } = validateStudy(
      {
        ...EMPTY_STUDY_FORM,
        title: 'ab',
        laySummary: 'Too short.',
        primary: 'DS',
        sensitive: ['OTHER'],
        collaborators: Array.from({ length: 51 }, (_, i) => `C${i}`).join('\n'),
        cohortCriteria: '[1, 2]',
      },
      TERMS,
    );
    expect(errors).toEqual({
      title: 'Give the study a title of at least 3 characters.',
      laySummary: 'Write at least 20 characters: participants read this before they decide.',
      purposeDiseases: 'Name at least one disease for disease-specific research.',
      otherText: 'Describe the other sensitive topic.',
      collaborators: 'List at most 50 collaborators.',
      datasets: 'Choose at least one dataset.',
      cohort: 'The cohort from the builder could not be read. Build it again.',
    });
  });

  it('keeps only known sensitive topics, with the text of "other"', () => {
    const { input } = validateStudy(
      { ...VALID, sensitive: ['PEDIATRIC', 'MADE_UP', 'OTHER'], otherText: ' Rare tribe ' },
      TERMS,
    );
    expect(input.purpose.sensitive).toEqual(['PEDIATRIC', 'OTHER']);
    expect(input.purpose.otherText).toBe('Rare tribe');
  });

  it('names a typed disease nobody knows', () => {
    const { errors } = validateStudy({ ...VALID, purposeDiseaseQuery: 'dragon pox' }, TERMS);
    expect(errors.purposeDiseases).toBe('No disease (MONDO term) matches “dragon pox”.');
  });
});

describe('criteria carried from the builder', () => {
  it('parses a JSON object and nothing else', () => {
    expect(parseCriteria('{"genes":["BRCA1"]}')).toEqual({ genes: ['BRCA1'] });
    expect(parseCriteria('')).toBeNull();
    expect(parseCriteria('[]')).toBeNull();
    expect(parseCriteria('{oops')).toBeNull();
  });

  it('uses the carried criteria in the input', () => {
    const { input } = validateStudy({ ...VALID, cohortCriteria: '{"genes":["TP53"]}' }, TERMS);
    expect(input.cohortCriteria).toEqual({ genes: ['TP53'] });
  });

  it('says in words what the study will ask for', () => {
    const name = (id: string) => `<${id}>`;
    expect(
      describeCriteria(
        { datasets: ['d1'], genes: ['BRCA1'], diseases: ['MONDO:0007254'], ageMin: 18 },
        name,
        () => 'Breast cancer',
      ),
    ).toEqual([
      'In <d1>',
      'Carrying a variant in BRCA1',
      'With Breast cancer (MONDO:0007254)',
      'Aged 18 to any',
    ]);
    expect(describeCriteria({}, name, name)).toEqual(['Everyone in the chosen datasets']);
  });
});

describe('form plumbing', () => {
  it('reads the form and maps API fields to form fields', () => {
    const form = new FormData();
    form.set('title', 'T');
    form.append('sensitive', 'GENDER');
    expect(readStudyForm(form)).toMatchObject({
      title: 'T',
      primary: 'GRU',
      sensitive: ['GENDER'],
    });
    expect(studyFormField('purpose.diseases.0')).toBe('purposeDiseases');
    expect(studyFormField('purpose.primary')).toBe('primary');
    expect(studyFormField('datasetIds')).toBe('datasets');
    expect(studyFormField('cohortCriteria.genes')).toBe('cohort');
    expect(studyFormField('title')).toBe('title');
  });
});
