import { describe, expect, it } from 'vitest';
import {
  formField,
  validateDataUseValues,
  validateDataset,
  type DatasetFormValues,
} from './dataset-form';

const REGIONS = ['EU', 'EEA', 'UK', 'US'];
const TODAY = '2026-12-04';
const BLANK: DatasetFormValues = {
  name: 'Panel',
  description: '',
  permission: 'HMB',
  diseases: '',
  modifiers: [],
  timeLimitMonths: '',
  moratoriumUntil: '',
  regions: '',
  institutions: '',
  users: '',
  projects: '',
  collectionConsent: 'RECONTACT_EACH_USE',
  collectionCodes: [],
};
const check = (v: Partial<DatasetFormValues>) =>
  validateDataUseValues({ ...BLANK, ...v }, REGIONS, TODAY);

describe('validateDataUseValues', () => {
  it('sends every value with its modifier, lists split and deduplicated, regions upper-cased', () => {
    expect(
      check({
        modifiers: ['TS', 'MOR', 'GS', 'IS', 'US', 'PS'],
        timeLimitMonths: '12',
        moratoriumUntil: '2027-06-30',
        regions: 'eu, uk',
        institutions: 'Uni A, Uni B, Uni A',
        users: 'u1',
        projects: 'p1, p2',
      }),
    ).toEqual({
      errors: {},
      params: {
        timeLimitMonths: 12,
        moratoriumUntil: '2027-06-30',
        regions: ['EU', 'UK'],
        institutions: ['Uni A', 'Uni B'],
        users: ['u1'],
        projects: ['p1', 'p2'],
      },
    });
  });

  it('leaves empty fields to the board', () => {
    expect(check({ modifiers: ['TS', 'IS'] })).toEqual({ errors: {}, params: {} });
  });

  it.each([
    [{ modifiers: ['TS'], timeLimitMonths: '0' }, 'timeLimitMonths', 'at least 1'],
    [{ modifiers: ['TS'], timeLimitMonths: '-3' }, 'timeLimitMonths', 'at least 1'],
    [{ modifiers: ['TS'], timeLimitMonths: '2.5' }, 'timeLimitMonths', 'whole number'],
    [{ modifiers: ['TS'], timeLimitMonths: '601' }, 'timeLimitMonths', 'at most 600'],
    [{ timeLimitMonths: '12' }, 'timeLimitMonths', 'Tick TS'],
    [{ modifiers: ['MOR'], moratoriumUntil: TODAY }, 'moratoriumUntil', 'after today'],
    [{ modifiers: ['MOR'], moratoriumUntil: '2020-01-01' }, 'moratoriumUntil', 'after today'],
    [{ modifiers: ['GS'], regions: 'EU, XX' }, 'regions', 'Unknown region code XX'],
    [{ institutions: 'Uni A' }, 'institutions', 'Tick IS'],
  ] as const)('%o is refused on %s', (v, field, message) => {
    const { errors, params } = check(v as Partial<DatasetFormValues>);
    expect(errors[field]).toContain(message);
    expect(params).not.toHaveProperty(field);
  });

  it('maps API field errors to the value fields', () => {
    expect(formField('dataUse.params.regions.1')).toBe('regions');
    expect(formField('dataUse.params.timeLimitMonths')).toBe('timeLimitMonths');
    expect(formField('dataUse.modifiers')).toBe('modifiers');
  });
});

describe('the consent given at collection', () => {
  const dataset = (v: Partial<DatasetFormValues>) =>
    validateDataset({ ...BLANK, ...v }, REGIONS, TODAY);

  it('sends the kind, and the DUO codes of a specific consent', () => {
    expect(dataset({}).input.collectionConsent).toEqual({
      kind: 'RECONTACT_EACH_USE',
      duoCodes: [],
    });
    const specific = dataset({ collectionConsent: 'SPECIFIC', collectionCodes: ['HMB', 'MDS'] });
    expect(specific.errors).toEqual({});
    expect(specific.input.collectionConsent).toEqual({
      kind: 'SPECIFIC',
      duoCodes: ['HMB', 'MDS'],
    });
  });

  it.each([
    [{ collectionConsent: '' }, 'collectionConsent'],
    [{ collectionConsent: 'PRESUMED' }, 'collectionConsent'],
    [{ collectionConsent: 'SPECIFIC' }, 'collectionCodes'],
    [{ collectionConsent: 'BROAD_GRU', collectionCodes: ['HMB'] }, 'collectionCodes'],
  ] as const)('refuses %o in %s', (v, field) => {
    expect(Object.keys(dataset(v as Partial<DatasetFormValues>).errors)).toEqual([field]);
  });

  it('maps the API field names to the form', () => {
    expect(formField('collectionConsent.duoCodes')).toBe('collectionCodes');
    expect(formField('collectionConsent.kind')).toBe('collectionConsent');
  });
});
