import { describe, expect, it } from 'vitest';
import { DataUseParamsSchema } from '../../datasets/data-use.js';
import { ResearchPurposeSchema } from './research-purpose.schema.js';

function errors(input: unknown): Record<string, string[]> {
  const parsed = ResearchPurposeSchema.safeParse(input);
  if (parsed.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
}

const valid = { primary: 'DS', diseases: ['MONDO:0005575'], commercial: false };

describe('ResearchPurposeSchema', () => {
  it('accepts a minimal purpose and fills the defaults', () => {
    expect(ResearchPurposeSchema.parse({ primary: 'GRU', commercial: true })).toEqual({
      primary: 'GRU',
      diseases: [],
      commercial: true,
      sensitive: [],
      genetic: true,
    });
  });

  it('accepts a full purpose, trimming text', () => {
    const parsed = ResearchPurposeSchema.parse({
      ...valid,
      sensitive: ['OTHER', 'PEDIATRIC'],
      otherText: '  twins  ',
      genetic: false,
      forProfitOrganisation: false,
      institution: ' Uni A ',
      userIds: ['u1', 'u2'],
      projectId: 'p1',
      geography: 'EU',
    });
    expect(parsed.otherText).toBe('twins');
    expect(parsed.institution).toBe('Uni A');
  });

  it.each([
    [
      'DS without diseases',
      { primary: 'DS', commercial: false },
      'diseases',
      'disease-specific (DS) research needs at least one disease',
    ],
    [
      'diseases on HMB',
      { primary: 'HMB', diseases: ['MONDO:0004992'], commercial: false },
      'diseases',
      'diseases apply only to disease-specific (DS) or methods (METHODS) research',
    ],
    [
      'a non-MONDO disease',
      { ...valid, diseases: ['DOID:162'] },
      'diseases.0',
      'each disease must be a MONDO CURIE like MONDO:0004992',
    ],
    [
      'a short MONDO id',
      { ...valid, diseases: ['MONDO:123'] },
      'diseases.0',
      'each disease must be a MONDO CURIE like MONDO:0004992',
    ],
    [
      'a repeated disease',
      { ...valid, diseases: ['MONDO:0005575', 'MONDO:0005575'] },
      'diseases',
      'each disease may appear once',
    ],
    [
      'too many diseases',
      {
        ...valid,
        diseases: Array.from({ length: 51 }, (_, i) => `MONDO:${String(i).padStart(7, '0')}`),
      },
      'diseases',
      'at most 50 diseases',
    ],
    [
      'an unknown primary',
      { primary: 'ANY', commercial: false },
      'primary',
      'primary must be one of GRU, HMB, DS, POA, METHODS',
    ],
    [
      'commercial missing',
      { primary: 'GRU' },
      'commercial',
      'commercial is required: say whether the research is commercial',
    ],
    [
      'commercial not boolean',
      { primary: 'GRU', commercial: 'no' },
      'commercial',
      'commercial must be true or false',
    ],
    [
      'an unknown sensitive topic',
      { ...valid, sensitive: ['GOSSIP'] },
      'sensitive.0',
      'each sensitive topic must be one of CONTROLS',
    ],
    [
      'a repeated sensitive topic',
      { ...valid, sensitive: ['GENDER', 'GENDER'] },
      'sensitive',
      'each sensitive topic may appear once',
    ],
    [
      'OTHER without text',
      { ...valid, sensitive: ['OTHER'] },
      'otherText',
      'otherText is required when sensitive includes OTHER',
    ],
    [
      'text without OTHER',
      { ...valid, otherText: 'hello' },
      'otherText',
      'add OTHER or remove otherText',
    ],
    [
      'blank otherText',
      { ...valid, sensitive: ['OTHER'], otherText: '   ' },
      'otherText',
      'otherText must not be empty',
    ],
    [
      'overlong otherText',
      { ...valid, sensitive: ['OTHER'], otherText: 'x'.repeat(1001) },
      'otherText',
      'otherText must be at most 1000 characters',
    ],
    [
      'overlong institution',
      { ...valid, institution: 'x'.repeat(201) },
      'institution',
      'institution must be at most 200 characters',
    ],
    ['empty userIds', { ...valid, userIds: [] }, 'userIds', 'userIds must not be empty when given'],
    [
      'a repeated user id',
      { ...valid, userIds: ['u', 'u'] },
      'userIds',
      'each user id may appear once',
    ],
    [
      'genetic not boolean',
      { ...valid, genetic: 'yes' },
      'genetic',
      'genetic must be true or false',
    ],
  ])('rejects %s', (_name, input, path, message) => {
    const found = errors(input)[path] ?? [];
    expect(found.join(' | ')).toContain(message);
  });

  it('rejects unknown fields, so typos do not pass silently', () => {
    expect(Object.keys(errors({ ...valid, comercial: true }))).toEqual(['']);
  });

  it('accepts diseases on a METHODS purpose', () => {
    expect(
      ResearchPurposeSchema.safeParse({
        primary: 'METHODS',
        diseases: ['MONDO:0004992'],
        commercial: false,
      }).success,
    ).toBe(true);
  });
});

describe('DataUseParamsSchema', () => {
  it('accepts complete parameters', () => {
    const params = {
      moratoriumUntil: '2027-01-31',
      timeLimitMonths: 12,
      regions: ['EU'],
      institutions: ['Uni A'],
      users: ['u1'],
      projects: ['p1'],
    };
    expect(DataUseParamsSchema.parse(params)).toEqual(params);
  });

  it.each([
    [{ moratoriumUntil: '31/01/2027' }, 'moratoriumUntil must be an ISO date (YYYY-MM-DD)'],
    [{ moratoriumUntil: '2027-02-30' }, 'moratoriumUntil must be an ISO date (YYYY-MM-DD)'],
    [{ timeLimitMonths: 0 }, 'timeLimitMonths must be at least 1'],
    [{ timeLimitMonths: 1.5 }, 'timeLimitMonths must be a whole number of months'],
    [{ timeLimitMonths: '12' }, 'timeLimitMonths must be a number'],
  ])('rejects %o', (input, message) => {
    const parsed = DataUseParamsSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join(' | ')).toContain(message);
  });
});
