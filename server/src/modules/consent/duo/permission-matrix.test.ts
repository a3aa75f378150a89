import { describe, expect, it } from 'vitest';
import type { DuoPermission } from '../../ontology/duo.js';
import { matchDataUse } from './match-data-use.js';
import type { MatchDecision, PurposeCategory } from './match-types.js';
import { MONDO } from './mondo-fixture.js';
import {
  dataUseOf,
  fixtureOntology as ontology,
  purposeOf,
} from '../../../test/duo-test-builders.js';

// Dataset permission × purpose primary → expected decision and a reason substring (README table).
const MATRIX: Record<DuoPermission, Record<PurposeCategory, [MatchDecision, string]>> = {
  NRES: {
    GRU: ['APPROVE', 'no restriction on use (NRES)'],
    HMB: ['APPROVE', 'no restriction on use (NRES)'],
    DS: ['APPROVE', 'no restriction on use (NRES)'],
    POA: ['APPROVE', 'no restriction on use (NRES)'],
    METHODS: ['APPROVE', 'does not forbid it (no NMDS)'],
  },
  GRU: {
    GRU: ['APPROVE', 'general research use (GRU)'],
    HMB: ['APPROVE', 'general research use (GRU)'],
    DS: ['APPROVE', 'general research use (GRU), which includes disease-specific'],
    POA: ['APPROVE', 'general research use (GRU), which includes population origins'],
    METHODS: ['APPROVE', 'does not forbid it (no NMDS)'],
  },
  HMB: {
    GRU: ['DENY', 'general research is broader'],
    HMB: ['APPROVE', 'biomedical research (HMB)'],
    DS: ['APPROVE', 'biomedical research (HMB), which includes disease-specific'],
    POA: ['DENY', 'excludes population origins or ancestry'],
    METHODS: ['APPROVE', 'does not forbid it (no NMDS)'],
  },
  DS: {
    GRU: ['DENY', 'general research is not disease-specific'],
    HMB: ['DENY', 'biomedical research is not disease-specific'],
    DS: ['APPROVE', 'which covers colorectal cancer (MONDO:0005575)'],
    POA: ['DENY', 'ancestry research is not disease-specific'],
    METHODS: ['APPROVE', 'does not forbid it (no NMDS)'],
  },
  POA: {
    GRU: ['DENY', 'limited to population origins or ancestry research (POA); general research'],
    HMB: ['DENY', 'limited to population origins or ancestry research (POA); health'],
    DS: ['DENY', 'limited to population origins or ancestry research (POA); disease-specific'],
    POA: ['APPROVE', 'permits population origins or ancestry research (POA)'],
    METHODS: ['APPROVE', 'does not forbid it (no NMDS)'],
  },
};

const cases = Object.entries(MATRIX).flatMap(([permission, row]) =>
  Object.entries(row).map(([primary, [decision, reason]]) => ({
    permission: permission as DuoPermission,
    primary: primary as PurposeCategory,
    decision,
    reason,
  })),
);

describe('permission × purpose (25 base cases)', () => {
  it('covers every combination', () => expect(cases).toHaveLength(25));

  it.each(cases)(
    '$permission data, $primary purpose → $decision',
    ({ permission, primary, decision, reason }) => {
      const result = matchDataUse(
        purposeOf({ primary, diseases: primary === 'DS' ? [MONDO.colorectalCancer] : [] }),
        dataUseOf({ permission, diseases: permission === 'DS' ? [MONDO.cancer] : [] }),
        ontology,
      );
      expect(result.decision).toBe(decision);
      expect(result.reasons.join('\n')).toContain(reason);
      expect(result.obligations).toEqual([]);
    },
  );
});

describe('disease-specific matching', () => {
  const ds = (diseases: string[]) => dataUseOf({ permission: 'DS', diseases });
  const dsPurpose = (diseases: string[]) => purposeOf({ primary: 'DS', diseases });

  it.each([
    [
      'child purpose on parent data',
      [MONDO.colorectalCancer],
      [MONDO.cancer],
      'APPROVE',
      'covers colorectal cancer',
    ],
    ['same disease', [MONDO.cancer], [MONDO.cancer], 'APPROVE', 'covers cancer (MONDO:0004992)'],
    [
      'parent purpose on child data',
      [MONDO.cancer],
      [MONDO.colorectalCancer],
      'DENY',
      'cancer (MONDO:0004992) are outside',
    ],
    [
      'sibling disease',
      [MONDO.breastCancer],
      [MONDO.colorectalCancer],
      'DENY',
      'breast cancer (MONDO:0007254) are outside',
    ],
    [
      'grandchild through two levels',
      [MONDO.breastCancer],
      [MONDO.neoplasm],
      'APPROVE',
      'covers breast cancer',
    ],
    [
      'several purpose diseases, all covered by different dataset diseases',
      [MONDO.breastCancer, MONDO.type2Diabetes],
      [MONDO.cancer, MONDO.diabetesMellitus],
      'APPROVE',
      'covers breast cancer (MONDO:0007254), type 2 diabetes mellitus (MONDO:0005148)',
    ],
    [
      'several purpose diseases, partly covered: names only the uncovered',
      [MONDO.breastCancer, MONDO.type1Diabetes, MONDO.alzheimerDisease],
      [MONDO.cancer],
      'DENY',
      'type 1 diabetes mellitus (MONDO:0005147), Alzheimer disease (MONDO:0004975) are outside',
    ],
    [
      'unknown purpose term',
      ['MONDO:9999999'],
      [MONDO.cancer],
      'DENY',
      'MONDO:9999999 are outside',
    ],
  ] as const)('%s', (_name, purposeDiseases, datasetDiseases, decision, reason) => {
    const result = matchDataUse(
      dsPurpose([...purposeDiseases]),
      ds([...datasetDiseases]),
      ontology,
    );
    expect(result.decision).toBe(decision);
    expect(result.reasons.join('\n')).toContain(reason);
  });

  it('a partly covered purpose does not also claim coverage', () => {
    const result = matchDataUse(
      dsPurpose([MONDO.breastCancer, MONDO.parkinsonDisease]),
      ds([MONDO.cancer]),
      ontology,
    );
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).not.toContain('breast cancer');
  });

  it.each(['NRES', 'GRU', 'HMB', 'DS', 'POA'] as const)(
    'a DS purpose without diseases is denied on %s data',
    (permission) => {
      const result = matchDataUse(
        purposeOf({ primary: 'DS', diseases: [] }),
        dataUseOf({ permission, diseases: permission === 'DS' ? [MONDO.cancer] : [] }),
        ontology,
      );
      expect(result.decision).toBe('DENY');
      expect(result.reasons.join('\n')).toContain('must name at least one disease');
    },
  );

  it.each(['GRU', 'HMB', 'DS', 'POA', 'METHODS'] as const)(
    'DS data naming no disease denies a %s purpose',
    (primary) => {
      const result = matchDataUse(
        purposeOf({ primary, diseases: primary === 'DS' ? [MONDO.cancer] : [] }),
        ds([]),
        ontology,
      );
      expect(result.decision).toBe('DENY');
      expect(result.reasons.join('\n')).toContain('names no disease');
    },
  );

  it.each(['HMB', 'DS'] as const)(
    '%s data denies research that is not health-related',
    (permission) => {
      const result = matchDataUse(
        purposeOf({ primary: 'DS', diseases: [MONDO.cancer], sensitive: ['NOT_HEALTH'] }),
        dataUseOf({ permission, diseases: permission === 'DS' ? [MONDO.cancer] : [] }),
        ontology,
      );
      expect(result.decision).toBe('DENY');
      expect(result.reasons.join('\n')).toContain('not health-related');
    },
  );

  it('HMB data also denies not-health methods research', () => {
    const result = matchDataUse(
      purposeOf({ primary: 'METHODS', sensitive: ['NOT_HEALTH'] }),
      dataUseOf({ permission: 'HMB' }),
      ontology,
    );
    expect(result.decision).toBe('DENY');
    expect(result.reasons[0]).toContain('not health-related');
  });

  it.each(['NRES', 'GRU'] as const)(
    '%s data only holds not-health research for review',
    (permission) => {
      const result = matchDataUse(
        purposeOf({ sensitive: ['NOT_HEALTH'] }),
        dataUseOf({ permission }),
        ontology,
      );
      expect(result.decision).toBe('ABSTAIN');
    },
  );
});

describe('methods research and NMDS', () => {
  const methods = (diseases: string[] = []) => purposeOf({ primary: 'METHODS', diseases });

  it.each(['NRES', 'GRU', 'HMB', 'POA'] as const)(
    '%s data with NMDS denies methods research',
    (permission) => {
      const result = matchDataUse(
        methods(),
        dataUseOf({ permission, modifiers: ['NMDS'] }),
        ontology,
      );
      expect(result.decision).toBe('DENY');
      expect(result.reasons).toContain('The data use forbids methods development research (NMDS)');
    },
  );

  it.each([
    ['within the named disease', [MONDO.colorectalCancer], 'APPROVE', 'stays within the dataset'],
    ['on the named disease itself', [MONDO.cancer], 'APPROVE', 'stays within the dataset'],
    [
      'outside the named disease',
      [MONDO.type2Diabetes],
      'DENY',
      'type 2 diabetes mellitus (MONDO:0005148) not covered',
    ],
    ['without any disease', [], 'DENY', 'names no disease within cancer'],
  ] as const)(
    'DS data with NMDS: methods research %s → %s',
    (_name, diseases, decision, reason) => {
      const result = matchDataUse(
        methods([...diseases]),
        dataUseOf({ permission: 'DS', diseases: [MONDO.cancer], modifiers: ['NMDS'] }),
        ontology,
      );
      expect(result.decision).toBe(decision);
      expect(result.reasons.join('\n')).toContain(reason);
    },
  );

  it('DS data without NMDS allows methods research on any disease, as DUOS does', () => {
    const result = matchDataUse(
      methods([MONDO.type2Diabetes]),
      dataUseOf({ permission: 'DS', diseases: [MONDO.cancer] }),
      ontology,
    );
    expect(result.decision).toBe('APPROVE');
  });

  it('NMDS does not touch disease-specific research that fits', () => {
    const result = matchDataUse(
      purposeOf({ primary: 'DS', diseases: [MONDO.colorectalCancer] }),
      dataUseOf({ permission: 'DS', diseases: [MONDO.cancer], modifiers: ['NMDS'] }),
      ontology,
    );
    expect(result.decision).toBe('APPROVE');
  });
});
