import { describe, expect, it } from 'vitest';
import { DUO_MODIFIER_CODES, DUO_PERMISSION_CODES, type DuoModifier } from '../../ontology/duo.js';
import { matchDataUse } from './match-data-use.js';
import {
  PURPOSE_CATEGORIES,
  SENSITIVE_TOPICS,
  type DataUseTerms,
  type MatchDecision,
  type ResearchPurpose,
} from './match-types.js';
import { MONDO } from './mondo-fixture.js';
import { fixtureOntology as ontology } from '../../../test/duo-test-builders.js';

const SEVERITY: Record<MatchDecision, number> = { APPROVE: 0, ABSTAIN: 1, DENY: 2 };
const DISEASES = Object.values(MONDO);

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[], max: number): T[] {
  const n = Math.floor(random() * (max + 1));
  return [...new Set(Array.from({ length: n }, () => items[Math.floor(random() * items.length)]!))];
}

function randomCase(random: () => number): { purpose: ResearchPurpose; dataUse: DataUseTerms } {
  const permission = DUO_PERMISSION_CODES[Math.floor(random() * DUO_PERMISSION_CODES.length)]!;
  const primary = PURPOSE_CATEGORIES[Math.floor(random() * PURPOSE_CATEGORIES.length)]!;
  const purpose: ResearchPurpose = {
    primary,
    diseases: pick(random, DISEASES, 3),
    commercial: random() < 0.3,
    sensitive: random() < 0.5 ? [] : pick(random, SENSITIVE_TOPICS, 3),
    genetic: random() < 0.8,
    forProfitOrganisation: random() < 0.2,
    userIds: random() < 0.5 ? ['u1'] : ['u9'],
    projectId: random() < 0.5 ? 'p1' : 'p9',
    institution: random() < 0.5 ? 'Uni A' : 'Uni Z',
    geography: random() < 0.5 ? 'EU' : 'US',
  };
  const dataUse: DataUseTerms = {
    permission,
    diseases: permission === 'DS' ? pick(random, DISEASES, 2) : [],
    modifiers: pick(random, DUO_MODIFIER_CODES, 4),
    params:
      random() < 0.7
        ? {
            users: ['u1'],
            projects: ['p1'],
            institutions: ['Uni A'],
            regions: ['EU'],
            timeLimitMonths: 6,
          }
        : {},
  };
  return { purpose, dataUse };
}

const random = rng(20240607);
const CASES = Array.from({ length: 3000 }, () => randomCase(random));

describe('properties over 3000 generated cases', () => {
  it('every result has at least one non-empty reason, and no reason twice', () => {
    for (const { purpose, dataUse } of CASES) {
      const { reasons } = matchDataUse(purpose, dataUse, ontology);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
      expect(new Set(reasons).size).toBe(reasons.length);
    }
  });

  it('approving reasons never accompany a DENY or ABSTAIN', () => {
    for (const { purpose, dataUse } of CASES) {
      const { decision, reasons } = matchDataUse(purpose, dataUse, ontology);
      if (decision !== 'APPROVE')
        expect(reasons.some((r) => /^Dataset permits|is permitted because/.test(r))).toBe(false);
    }
  });

  it('adding a modifier or a sensitive topic never makes the decision more permissive', () => {
    const r = rng(7);
    for (const { purpose, dataUse } of CASES) {
      const before = SEVERITY[matchDataUse(purpose, dataUse, ontology).decision];
      const modifier = DUO_MODIFIER_CODES[
        Math.floor(r() * DUO_MODIFIER_CODES.length)
      ]! as DuoModifier;
      const topic = SENSITIVE_TOPICS[Math.floor(r() * SENSITIVE_TOPICS.length)]!;
      const moreModifiers = { ...dataUse, modifiers: [...dataUse.modifiers, modifier] };
      const moreTopics = { ...purpose, sensitive: [...purpose.sensitive, topic] };
      expect(
        SEVERITY[matchDataUse(purpose, moreModifiers, ontology).decision],
      ).toBeGreaterThanOrEqual(before);
      expect(SEVERITY[matchDataUse(moreTopics, dataUse, ontology).decision]).toBeGreaterThanOrEqual(
        before,
      );
    }
  });

  it('a purpose for a narrower disease never fares worse on DS data than one for its ancestor', () => {
    for (const { purpose, dataUse } of CASES.filter((c) => c.dataUse.permission === 'DS')) {
      const broad = { ...purpose, primary: 'DS' as const, diseases: [MONDO.cancer] };
      const narrow = { ...broad, diseases: [MONDO.colorectalCancer] };
      expect(SEVERITY[matchDataUse(narrow, dataUse, ontology).decision]).toBeLessThanOrEqual(
        SEVERITY[matchDataUse(broad, dataUse, ontology).decision],
      );
    }
  });

  it('obligations come only from the dataset’s modifiers, and expiry only from a valid TS', () => {
    for (const { purpose, dataUse } of CASES) {
      const result = matchDataUse(purpose, dataUse, ontology);
      for (const o of result.obligations) expect(dataUse.modifiers).toContain(o.code);
      expect(result.grantExpiryMonths !== undefined).toBe(
        dataUse.modifiers.includes('TS') && dataUse.params?.timeLimitMonths === 6,
      );
    }
  });

  it('is pure: deterministic and leaves its inputs untouched', () => {
    for (const { purpose, dataUse } of CASES.slice(0, 300)) {
      const frozen = structuredClone({ purpose, dataUse });
      Object.freeze(frozen.purpose);
      Object.freeze(frozen.dataUse);
      const first = matchDataUse(frozen.purpose, frozen.dataUse, ontology);
      expect(matchDataUse(frozen.purpose, frozen.dataUse, ontology)).toEqual(first);
      expect(frozen).toEqual({ purpose, dataUse });
    }
  });
});
