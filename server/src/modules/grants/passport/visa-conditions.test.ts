import { describe, expect, it } from 'vitest';
import type { VisaConditions, VisaObject } from './visa-claims.js';
import { conditionsMet } from './visa-conditions.js';

const researcher: VisaObject = {
  type: 'ResearcherStatus',
  asserted: 1_700_000_000,
  value: 'https://doi.org/10.1038/s41431-018-0219-y',
  source: 'https://consentome.example',
  by: 'so',
};
const faculty: VisaObject = {
  type: 'AffiliationAndRole',
  asserted: 1_700_000_000,
  value: 'faculty@uni-heidelberg.de',
  source: 'https://visas.elixir.org',
  by: 'system',
};

describe('visa conditions (disjunctive normal form)', () => {
  it('holds when absent or empty', () => {
    expect(conditionsMet(undefined, [])).toBe(true);
    expect(conditionsMet([], [])).toBe(true);
  });

  it('needs every clause of one inner list, each matched by some visa', () => {
    const both: VisaConditions = [
      [
        { type: 'ResearcherStatus', value: `const:${researcher.value}` },
        { type: 'AffiliationAndRole', value: 'pattern:faculty@*', by: 'const:system' },
      ],
    ];
    expect(conditionsMet(both, [researcher, faculty])).toBe(true);
    expect(conditionsMet(both, [researcher])).toBe(false);
    const either: VisaConditions = [
      ...both,
      [{ type: 'AffiliationAndRole', source: 'const:https://x.example' }],
    ];
    expect(conditionsMet(either, [faculty])).toBe(false);
    expect(conditionsMet(either, [faculty, { ...faculty, source: 'https://x.example' }])).toBe(
      true,
    );
  });

  it('matches patterns over the full string, case-sensitively, with ? and * only', () => {
    const clause = (value: string) => [[{ type: 'AffiliationAndRole', value }]];
    expect(conditionsMet(clause('pattern:faculty@uni-?eidelberg.de'), [faculty])).toBe(true);
    expect(conditionsMet(clause('pattern:faculty@uni'), [faculty])).toBe(false);
    expect(conditionsMet(clause('pattern:FACULTY@*'), [faculty])).toBe(false);
    // A dot is literal, not "any character".
    expect(conditionsMet(clause('pattern:faculty@uni-heidelberg.d.'), [faculty])).toBe(false);
    expect(conditionsMet(clause('const:faculty@*'), [faculty])).toBe(false);
    expect(conditionsMet(clause('regex:.*'), [faculty])).toBe(false);
  });

  it('split_pattern matches any ;-separated part', () => {
    const linked = { ...faculty, value: '001,https:%2F%2Fa.org;123,https:%2F%2Fb.org' };
    const clause = [[{ type: 'AffiliationAndRole', value: 'split_pattern:123,https:%2F%2F?.org' }]];
    expect(conditionsMet(clause, [linked])).toBe(true);
    expect(conditionsMet(clause, [faculty])).toBe(false);
  });
});
