import { describe, expect, it } from 'vitest';
import { DUO_MODIFIER_CODES, type DuoModifier } from '../../ontology/duo.js';
import { matchDataUse } from './match-data-use.js';
import type { DataUseParams, MatchDecision, Obligation, ResearchPurpose } from './match-types.js';
import {
  dataUseOf,
  fixtureOntology as ontology,
  purposeOf,
} from '../../../test/duo-test-builders.js';

const match = (
  purpose: Partial<ResearchPurpose>,
  modifiers: DuoModifier[],
  params?: DataUseParams,
) =>
  matchDataUse(
    purposeOf(purpose),
    dataUseOf({ modifiers, ...(params ? { params } : {}) }),
    ontology,
  );

describe('commercial use × NPU / NCU / NPUNCU', () => {
  const profiles = [
    {
      name: 'non-commercial, not-for-profit',
      commercial: false,
      forProfitOrganisation: false,
      deny: false,
    },
    {
      name: 'non-commercial, profit status unstated',
      commercial: false,
      forProfitOrganisation: undefined,
      deny: false,
    },
    { name: 'commercial purpose', commercial: true, forProfitOrganisation: false, deny: true },
    { name: 'for-profit organisation', commercial: false, forProfitOrganisation: true, deny: true },
    {
      name: 'commercial and for-profit',
      commercial: true,
      forProfitOrganisation: true,
      deny: true,
    },
  ];
  const cases = (['NPU', 'NCU', 'NPUNCU'] as const).flatMap((code) =>
    profiles.map((p) => ({ code, ...p })),
  );

  it.each(cases)(
    '$code with a $name purpose',
    ({ code, commercial, forProfitOrganisation, deny }) => {
      const result = match({ commercial, forProfitOrganisation }, [code]);
      expect(result.decision).toBe(deny ? 'DENY' : 'APPROVE');
      if (deny) expect(result.reasons.join('\n')).toContain(`(${code}), but`);
      if (commercial && deny)
        expect(result.reasons.join('\n')).toContain('the purpose is commercial');
      if (forProfitOrganisation && deny)
        expect(result.reasons.join('\n')).toContain('organisation is for-profit');
      expect(result.obligations.map((o) => o.code)).toEqual([code]);
      expect(result.obligations[0]?.kind).toBe('condition');
    },
  );

  it('a commercial purpose passes data without any profit modifier', () => {
    expect(match({ commercial: true, forProfitOrganisation: true }, []).decision).toBe('APPROVE');
  });

  it('NPU and NCU together give one reason each', () => {
    const result = match({ commercial: true }, ['NPU', 'NCU']);
    expect(result.decision).toBe('DENY');
    expect(result.reasons).toHaveLength(2);
  });
});

describe("every modifier's obligation", () => {
  const expected: Record<DuoModifier, Obligation | null> = {
    NPU: {
      code: 'NPU',
      kind: 'condition',
      description: 'Use only by not-for-profit organisations',
    },
    NCU: {
      code: 'NCU',
      kind: 'condition',
      description: 'No commercial use of the data or results',
    },
    NPUNCU: {
      code: 'NPUNCU',
      kind: 'condition',
      description: 'Use only by not-for-profit organisations, and no commercial use',
    },
    IRB: {
      code: 'IRB',
      kind: 'evidence',
      description: 'Ethics approval letter required',
      evidence: 'irb_letter',
    },
    PUB: {
      code: 'PUB',
      kind: 'publication',
      description: 'Results must be made available to the wider scientific community',
    },
    COL: {
      code: 'COL',
      kind: 'evidence',
      description: "Collaboration agreement with the dataset's primary investigators required",
      evidence: 'collaboration_agreement',
    },
    GS: {
      code: 'GS',
      kind: 'binding',
      description: 'Use is bound to the region(s): EU',
      allowed: ['EU'],
    },
    MOR: {
      code: 'MOR',
      kind: 'publication',
      description: 'No publication of results before 2027-01-31',
      until: '2027-01-31',
    },
    TS: {
      code: 'TS',
      kind: 'time_limit',
      description: 'Access expires 12 month(s) after approval',
      months: 12,
    },
    US: {
      code: 'US',
      kind: 'binding',
      description: 'Use is bound to the approved users: u1, u2',
      allowed: ['u1', 'u2'],
    },
    PS: {
      code: 'PS',
      kind: 'binding',
      description: 'Use is bound to the approved projects: p1',
      allowed: ['p1'],
    },
    IS: {
      code: 'IS',
      kind: 'binding',
      description: 'Use is bound to the approved institutions: Uni A',
      allowed: ['Uni A'],
    },
    RTN: {
      code: 'RTN',
      kind: 'return',
      description: 'Derived or enriched data must be returned to the resource',
    },
    GSO: {
      code: 'GSO',
      kind: 'condition',
      description: 'Use only in studies that include genotype data',
    },
    NMDS: {
      code: 'NMDS',
      kind: 'condition',
      description: 'No methods development beyond the bounds of the other restrictions',
    },
    NPOA: {
      code: 'NPOA',
      kind: 'condition',
      description: 'No population origins or ancestry research',
    },
    RS: {
      code: 'RS',
      kind: 'condition',
      description:
        "The consent's research-specific restrictions apply, as read by the data access committee",
    },
    CC: null,
  };
  const params: DataUseParams = {
    regions: ['EU'],
    moratoriumUntil: '2027-01-31',
    timeLimitMonths: 12,
    users: ['u1', 'u2'],
    projects: ['p1'],
    institutions: ['Uni A'],
  };
  const decisions: Partial<Record<DuoModifier, MatchDecision>> = { RS: 'ABSTAIN' };

  it.each(DUO_MODIFIER_CODES)('%s', (code) => {
    const result = match({}, [code], params);
    expect(result.obligations).toEqual(expected[code] ? [expected[code]] : []);
    expect(result.decision).toBe(decisions[code] ?? 'APPROVE');
  });

  it('all modifiers at once give every obligation once, in DUO order, whatever the stored order', () => {
    const shuffled = [...DUO_MODIFIER_CODES].reverse();
    const result = match({}, [...shuffled, 'IRB'], params);
    expect(result.obligations.map((o) => o.code)).toEqual(
      DUO_MODIFIER_CODES.filter((c) => c !== 'CC'),
    );
  });

  it('MOR without a date leaves the date to the data access committee', () => {
    const [obligation] = match({}, ['MOR']).obligations;
    expect(obligation).toEqual({
      code: 'MOR',
      kind: 'publication',
      description: 'No publication of results before a date to be set by the data access committee',
    });
  });

  it('US/PS/IS/GS without values bind to whatever the committee sets, and do not refuse', () => {
    const result = match({ userIds: ['x'], projectId: 'y', institution: 'z', geography: 'w' }, [
      'US',
      'PS',
      'IS',
      'GS',
    ]);
    expect(result.decision).toBe('APPROVE');
    for (const o of result.obligations)
      expect(o.description).toContain('to be set by the data access committee');
  });

  it('CC is informational', () => {
    const result = match({}, ['CC']);
    expect(result.reasons).toContain(
      'Dataset also allows clinical care use (CC), which adds no restriction',
    );
  });
});

describe('time limit (TS)', () => {
  it('sets the grant expiry', () => {
    expect(match({}, ['TS'], { timeLimitMonths: 6 }).grantExpiryMonths).toBe(6);
  });

  it.each([undefined, 0, -3, 2.5, Number.NaN])(
    'abstains without a usable length (%s)',
    (timeLimitMonths) => {
      const result = match({}, ['TS'], { timeLimitMonths });
      expect(result.decision).toBe('ABSTAIN');
      expect(result.grantExpiryMonths).toBeUndefined();
      expect(result.reasons.join('\n')).toContain('time limit on use (TS) without a length');
      expect(result.obligations[0]?.description).toContain(
        'to be set by the data access committee',
      );
    },
  );

  it('a length without TS sets no expiry', () => {
    expect(match({}, [], { timeLimitMonths: 6 }).grantExpiryMonths).toBeUndefined();
  });
});

describe('user, project, institution and geographic bindings', () => {
  const params: DataUseParams = {
    users: ['u1', 'u2'],
    projects: ['p1'],
    institutions: ['University of Leipzig'],
    regions: ['EU'],
  };

  it.each([
    ['US', { userIds: ['u1'] }, 'APPROVE', ''],
    ['US', { userIds: ['u1', 'u2'] }, 'APPROVE', ''],
    ['US', { userIds: ['u1', 'u3', 'u4'] }, 'DENY', 'not approved: u3, u4'],
    ['US', {}, 'APPROVE', ''],
    ['PS', { projectId: 'p1' }, 'APPROVE', ''],
    ['PS', { projectId: 'p2' }, 'DENY', 'project p2 is not one of them'],
    ['PS', { projectId: 'P1' }, 'DENY', 'project P1 is not one of them'],
    ['PS', {}, 'APPROVE', ''],
    ['IS', { institution: 'University of Leipzig' }, 'APPROVE', ''],
    ['IS', { institution: '  university of leipzig ' }, 'APPROVE', ''],
    ['IS', { institution: 'Elsewhere College' }, 'DENY', 'Elsewhere College is not one of them'],
    ['IS', {}, 'APPROVE', ''],
    ['GS', { geography: 'European Union' }, 'APPROVE', ''],
    ['GS', { geography: 'eu' }, 'APPROVE', ''],
    ['GS', { geography: 'Narnia' }, 'DENY', 'the purpose is in Narnia'],
    [
      'GS',
      { geography: 'United States' },
      'DENY',
      'only within EU (European Union) (GS); the purpose is in US (United States)',
    ],
    ['GS', {}, 'APPROVE', ''],
  ] as const)('%s with %o → %s', (code, purpose, decision, reason) => {
    const result = match(purpose, [code], params);
    expect(result.decision).toBe(decision);
    expect(result.reasons.join('\n')).toContain(reason);
    expect(result.obligations).toHaveLength(1);
    expect(result.obligations[0]?.kind).toBe('binding');
  });

  it('bindings are only checked when the dataset carries the modifier', () => {
    expect(
      match({ userIds: ['u9'], projectId: 'p9', institution: 'X', geography: 'Y' }, [], params)
        .decision,
    ).toBe('APPROVE');
  });
});

describe('GSO, NPOA, RS and NRES with modifiers', () => {
  it.each([
    [true, 'APPROVE'],
    [undefined, 'APPROVE'],
    [false, 'DENY'],
  ] as const)('GSO with genetic=%s → %s', (genetic, decision) => {
    const result = match({ genetic }, ['GSO']);
    expect(result.decision).toBe(decision);
    if (decision === 'DENY') expect(result.reasons.join('\n')).toContain('genetic studies (GSO)');
  });

  it.each(['NRES', 'GRU', 'HMB', 'DS'] as const)(
    'NPOA denies population origins research on %s data',
    (permission) => {
      const result = matchDataUse(
        purposeOf({ primary: 'POA' }),
        dataUseOf({
          permission,
          diseases: permission === 'DS' ? ['MONDO:0004992'] : [],
          modifiers: ['NPOA'],
        }),
        ontology,
      );
      expect(result.decision).toBe('DENY');
      expect(result.reasons).toContain(
        'Dataset forbids population origins or ancestry research (NPOA)',
      );
    },
  );

  it.each(['GRU', 'HMB', 'METHODS'] as const)('NPOA leaves %s research alone', (primary) => {
    expect(match({ primary }, ['NPOA']).decision).toBe('APPROVE');
  });

  it('RS always goes to a human', () => {
    const result = match({}, ['RS']);
    expect(result.decision).toBe('ABSTAIN');
    expect(result.reasons).toEqual([
      'Dataset carries research-specific restrictions (RS) that a reviewer must read',
    ]);
  });

  it('NRES still applies its modifiers', () => {
    const nres = (purpose: Partial<ResearchPurpose>, modifiers: DuoModifier[], p?: DataUseParams) =>
      matchDataUse(
        purposeOf(purpose),
        dataUseOf({ permission: 'NRES', modifiers, ...(p ? { params: p } : {}) }),
        ontology,
      );
    expect(nres({ commercial: true }, ['NCU']).decision).toBe('DENY');
    expect(nres({ genetic: false }, ['GSO']).decision).toBe('DENY');
    expect(nres({ primary: 'METHODS' }, ['NMDS']).decision).toBe('DENY');
    expect(nres({ geography: 'JP' }, ['GS'], { regions: ['EU'] }).decision).toBe('DENY');
    const ok = nres({}, ['IRB', 'TS', 'PUB'], { timeLimitMonths: 24 });
    expect(ok.decision).toBe('APPROVE');
    expect(ok.obligations.map((o) => o.code)).toEqual(['IRB', 'PUB', 'TS']);
    expect(ok.grantExpiryMonths).toBe(24);
  });

  it('obligations stay listed on a DENY, describing the terms a grant would have carried', () => {
    const result = match({ commercial: true }, ['NCU', 'IRB']);
    expect(result.decision).toBe('DENY');
    expect(result.obligations.map((o) => o.code)).toEqual(['NCU', 'IRB']);
  });
});
