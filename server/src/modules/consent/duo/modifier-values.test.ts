import { describe, expect, it } from 'vitest';
import type { DuoModifier } from '../../ontology/duo.js';
import { matchDataUse } from './match-data-use.js';
import type {
  DataUseParams,
  MatchDecision,
  ModifierCheckStatus,
  ResearchPurpose,
} from './match-types.js';
import {
  dataUseOf,
  fixtureOntology as ontology,
  purposeOf,
} from '../../../test/duo-test-builders.js';

const match = (purpose: Partial<ResearchPurpose>, code: DuoModifier, params: DataUseParams = {}) =>
  matchDataUse(purposeOf(purpose), dataUseOf({ modifiers: [code], params }), ontology);

/**
 * Every modifier that carries a value, against purposes that meet it, miss it, or leave it
 * open: the decision, the check's status and words, and the obligation it puts on the grant.
 */
const CASES: [
  string,
  DuoModifier,
  DataUseParams,
  Partial<ResearchPurpose>,
  MatchDecision,
  ModifierCheckStatus,
  string,
  string,
][] = [
  // TS: months.
  [
    'TS with a length',
    'TS',
    { timeLimitMonths: 12 },
    {},
    'APPROVE',
    'obligation',
    'Access would end 12 month(s) after approval (TS)',
    'Access expires 12 month(s) after approval',
  ],
  [
    'TS without a length',
    'TS',
    {},
    {},
    'ABSTAIN',
    'to_check',
    'The time limit has no length yet (TS)',
    'to be set by the data access committee',
  ],
  // MOR: a date against the planned publication.
  [
    'MOR, publication after',
    'MOR',
    { moratoriumUntil: '2030-06-30' },
    { plannedPublication: '2030-07-01' },
    'APPROVE',
    'met',
    'Planned publication on 2030-07-01 is after the moratorium ends on 2030-06-30 (MOR)',
    'No publication of results before 2030-06-30',
  ],
  [
    'MOR, publication on the day',
    'MOR',
    { moratoriumUntil: '2030-06-30' },
    { plannedPublication: '2030-06-30' },
    'APPROVE',
    'met',
    'is after the moratorium ends',
    'before 2030-06-30',
  ],
  [
    'MOR, publication before',
    'MOR',
    { moratoriumUntil: '2030-06-30' },
    { plannedPublication: '2030-01-15' },
    'DENY',
    'not_met',
    'Planned publication on 2030-01-15 falls before the moratorium ends on 2030-06-30 (MOR)',
    'before 2030-06-30',
  ],
  [
    'MOR, no planned date',
    'MOR',
    { moratoriumUntil: '2030-06-30' },
    {},
    'APPROVE',
    'to_check',
    'the purpose gives no planned date (MOR)',
    'before 2030-06-30',
  ],
  [
    'MOR without a date',
    'MOR',
    {},
    { plannedPublication: '2030-01-15' },
    'APPROVE',
    'to_check',
    'has no date yet (MOR)',
    'to be set by the data access committee',
  ],
  // GS: region codes against where the data is processed.
  [
    'GS, inside',
    'GS',
    { regions: ['EU', 'UK'] },
    { geography: 'UK' },
    'APPROVE',
    'met',
    'Processing in UK (United Kingdom) is within EU (European Union), UK (United Kingdom) (GS)',
    'Use is bound to the region(s): EU, UK',
  ],
  [
    'GS, by name',
    'GS',
    { regions: ['EU'] },
    { geography: 'european union' },
    'APPROVE',
    'met',
    'within EU (European Union)',
    'EU',
  ],
  [
    'GS, EU inside the EEA',
    'GS',
    { regions: ['EEA'] },
    { geography: 'EU' },
    'APPROVE',
    'met',
    'within EEA',
    'EEA',
  ],
  [
    'GS, EEA is not inside the EU',
    'GS',
    { regions: ['EU'] },
    { geography: 'EEA' },
    'DENY',
    'not_met',
    'Processing in EEA (European Economic Area) is outside EU (European Union) (GS)',
    'EU',
  ],
  [
    'GS, outside',
    'GS',
    { regions: ['EU'] },
    { geography: 'US' },
    'DENY',
    'not_met',
    'is outside EU (European Union) (GS)',
    'EU',
  ],
  [
    'GS, place not given',
    'GS',
    { regions: ['EU'] },
    {},
    'APPROVE',
    'to_check',
    'the purpose does not say where (GS)',
    'EU',
  ],
  [
    'GS without regions',
    'GS',
    {},
    { geography: 'US' },
    'APPROVE',
    'to_check',
    'has not set the allowed regions (GS)',
    'to be set by the data access committee',
  ],
  // IS: institutions, compared as people type them.
  [
    'IS, listed',
    'IS',
    { institutions: ['Uni A', 'Uni B'] },
    { institution: ' uni b ' },
    'APPROVE',
    'met',
    'All 1 named institutions are approved (IS)',
    'Use is bound to the approved institutions: Uni A, Uni B',
  ],
  [
    'IS, not listed',
    'IS',
    { institutions: ['Uni A'] },
    { institution: 'Other College' },
    'DENY',
    'not_met',
    'Not among the approved institutions: Other College (IS)',
    'Uni A',
  ],
  [
    'IS, not named',
    'IS',
    { institutions: ['Uni A'] },
    {},
    'APPROVE',
    'to_check',
    'does not name its institutions',
    'Uni A',
  ],
  // US: user ids, exactly.
  [
    'US, all approved',
    'US',
    { users: ['u1', 'u2'] },
    { userIds: ['u2', 'u1'] },
    'APPROVE',
    'met',
    'All 2 named users are approved (US)',
    'Use is bound to the approved users: u1, u2',
  ],
  [
    'US, one outsider',
    'US',
    { users: ['u1'] },
    { userIds: ['u1', 'u9'] },
    'DENY',
    'not_met',
    'Not among the approved users: u9 (US)',
    'u1',
  ],
  [
    'US, ids are exact',
    'US',
    { users: ['u1'] },
    { userIds: ['U1'] },
    'DENY',
    'not_met',
    'U1',
    'u1',
  ],
  [
    'US without a list',
    'US',
    {},
    { userIds: ['u1'] },
    'APPROVE',
    'to_check',
    'has not listed the approved users (US)',
    'to be set by the data access committee',
  ],
  // PS: project ids.
  [
    'PS, listed',
    'PS',
    { projects: ['p1'] },
    { projectId: 'p1' },
    'APPROVE',
    'met',
    'All 1 named projects are approved (PS)',
    'Use is bound to the approved projects: p1',
  ],
  [
    'PS, not listed',
    'PS',
    { projects: ['p1'] },
    { projectId: 'p2' },
    'DENY',
    'not_met',
    'Not among the approved projects: p2 (PS)',
    'p1',
  ],
  [
    'PS, not named',
    'PS',
    { projects: ['p1'] },
    {},
    'APPROVE',
    'to_check',
    'does not name its projects',
    'p1',
  ],
  // NPOA and GSO carry no value but are checked where needed.
  [
    'NPOA, not ancestry',
    'NPOA',
    {},
    { primary: 'HMB' },
    'APPROVE',
    'met',
    'is not population origins or ancestry research (NPOA)',
    'No population origins or ancestry research',
  ],
  [
    'NPOA, ancestry',
    'NPOA',
    {},
    { primary: 'POA' },
    'DENY',
    'not_met',
    'is population origins or ancestry research (NPOA)',
    'No population origins',
  ],
  [
    'GSO, genotype data',
    'GSO',
    {},
    { genetic: true },
    'APPROVE',
    'met',
    'includes genotype data (GSO)',
    'Use only in studies that include genotype data',
  ],
  [
    'GSO, no genotype data',
    'GSO',
    {},
    { genetic: false },
    'DENY',
    'not_met',
    'includes no genotype data',
    'genotype data',
  ],
  // NPU: the organisation's status.
  [
    'NPU, not-for-profit',
    'NPU',
    {},
    { forProfitOrganisation: false },
    'APPROVE',
    'met',
    'not-for-profit organisation (NPU)',
    'not-for-profit',
  ],
  ['NPU, unstated', 'NPU', {}, {}, 'APPROVE', 'to_check', 'not stated (NPU)', 'not-for-profit'],
  [
    'NPU, for-profit',
    'NPU',
    {},
    { forProfitOrganisation: true },
    'DENY',
    'not_met',
    'for-profit (NPU)',
    'not-for-profit',
  ],
];

describe('modifier values: decision, check and obligation', () => {
  it.each(CASES)('%s', (_label, code, params, purpose, decision, status, text, obligation) => {
    const result = match(purpose, code, params);
    expect(result.decision).toBe(decision);
    expect(result.checks).toHaveLength(1);
    const [check] = result.checks;
    expect(check).toMatchObject({ code, status });
    expect(check!.text).toContain(text);
    expect(check!.obligation).toContain(obligation);
    if (status === 'not_met') expect(result.reasons.join('\n')).toContain(`(${code})`);
  });

  it('gives one check per modifier, in DUO order, whatever order the dataset stored them in', () => {
    const result = matchDataUse(
      purposeOf({ institution: 'Uni A', geography: 'EU', plannedPublication: '2031-01-01' }),
      dataUseOf({
        modifiers: ['GS', 'IS', 'MOR', 'IRB', 'TS'],
        params: {
          regions: ['EU'],
          institutions: ['Uni A'],
          moratoriumUntil: '2030-01-01',
          timeLimitMonths: 6,
        },
      }),
      ontology,
    );
    expect(result.decision).toBe('APPROVE');
    expect(result.checks.map((c) => [c.code, c.status])).toEqual([
      ['IRB', 'obligation'],
      ['GS', 'met'],
      ['MOR', 'met'],
      ['TS', 'obligation'],
      ['IS', 'met'],
    ]);
  });

  it('CC is met by any purpose; a dataset without modifiers has no checks', () => {
    expect(match({}, 'CC').checks).toEqual([
      {
        code: 'CC',
        status: 'met',
        text: 'Clinical care use is also allowed; it adds no restriction (CC)',
      },
    ]);
    expect(matchDataUse(purposeOf(), dataUseOf({ modifiers: [] }), ontology).checks).toEqual([]);
  });
});
