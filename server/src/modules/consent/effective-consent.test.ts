import { describe, expect, it } from 'vitest';
import {
  everyConsentCombination,
  type ConsentCombination,
} from '../../test/consent-combinations.js';
import type { CollectionConsent } from '../datasets/collection-consent.js';
import type { PurposeCategory } from './duo/match-types.js';
import { DEFAULT_PREFERENCES } from './preferences.js';
import {
  choiceSinceOf,
  decideConsent,
  type ConsentFacts,
  type ConsentDecision,
  type PrecedenceRule,
} from './effective-consent.js';

type Pattern = Partial<{
  withdrawn: boolean;
  dataUseAllows: boolean;
  study: ConsentCombination['study'];
  /** A touched scope is denied standing. */
  anyStandingNo: boolean;
  /** Every touched scope is permitted standing. */
  allStandingYes: boolean;
  askEachTime: boolean;
  standingAfterStudy: boolean;
  receivedData: boolean;
  standingFrom: ConsentCombination['standingFrom'];
  commercial: boolean;
}>;

/**
 * The precedence rules as a table, in the order docs/consent-precedence.md gives them: the first
 * row whose pattern fits a combination says what must come out. An absent field is "any".
 */
const TABLE: { rule: PrecedenceRule; when: Pattern; then: Omit<ConsentDecision, 'rule'> }[] = [
  {
    rule: 'withdrawn',
    when: { withdrawn: true },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  {
    rule: 'data-use',
    when: { dataUseAllows: false },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  { rule: 'study-no', when: { study: 'deny' }, then: { consent: 'deny', awaitingAnswer: false } },
  {
    rule: 'later-standing-no',
    when: {
      study: 'permit',
      standingFrom: 'own',
      anyStandingNo: true,
      standingAfterStudy: true,
      receivedData: false,
    },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  {
    rule: 'later-standing-no-awaiting-answer',
    when: {
      study: 'permit',
      standingFrom: 'own',
      anyStandingNo: true,
      standingAfterStudy: true,
      receivedData: true,
    },
    then: { consent: 'permit', awaitingAnswer: true },
  },
  {
    rule: 'study-yes',
    when: { study: 'permit' },
    then: { consent: 'permit', awaitingAnswer: false },
  },
  {
    rule: 'standing-no',
    when: { study: 'none', standingFrom: 'own', anyStandingNo: true },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  {
    rule: 'standing-yes',
    when: { study: 'none', standingFrom: 'own', allStandingYes: true, askEachTime: false },
    then: { consent: 'permit', awaitingAnswer: false },
  },
  {
    rule: 'standing-ask',
    when: { study: 'none', standingFrom: 'own' },
    then: { consent: 'ask', awaitingAnswer: false },
  },
  // Never stated their own choices: the collection consent of every dataset the data would come
  // from must cover the purpose; none covers commercial use.
  {
    rule: 'collection-yes',
    when: { study: 'none', standingFrom: 'collection-covers', commercial: false },
    then: { consent: 'permit', awaitingAnswer: false },
  },
  {
    rule: 'collection-ask',
    when: { study: 'none' },
    then: { consent: 'ask', awaitingAnswer: false },
  },
];

function fits(c: ConsentCombination, p: Pattern): boolean {
  const touched = [c.primary, ...(c.commercialChoice ? [c.commercialChoice] : [])];
  const actual: Required<Pattern> = {
    withdrawn: c.withdrawn,
    dataUseAllows: c.dataUseAllows,
    study: c.study,
    anyStandingNo: touched.includes('deny'),
    allStandingYes: touched.every((t) => t === 'permit'),
    askEachTime: c.askEachTime,
    standingAfterStudy: c.standingAfterStudy,
    receivedData: c.receivedData,
    standingFrom: c.standingFrom,
    commercial: c.commercial,
  };
  return (Object.keys(p) as (keyof Pattern)[]).every((k) => p[k] === actual[k]);
}

describe('consent precedence: every combination against the table', () => {
  // Flat (an HMB study) and nested (a DS study governed by a named disease above its own).
  const combos = [...everyConsentCombination(), ...everyConsentCombination({ nested: true })];
  const hits = new Map<PrecedenceRule, number>();

  it('covers every combination of the inputs', () => {
    expect(combos).toHaveLength(2 * (2 * 2 * (3 + 9) * 2 * 3 * 2 * 2 * 3));
  });

  it.each(combos.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const row = TABLE.find((r) => fits(c, r.when));
    expect(row, 'the table has a row for every combination').toBeDefined();
    hits.set(row!.rule, (hits.get(row!.rule) ?? 0) + 1);
    expect(decideConsent(c.facts)).toEqual({ rule: row!.rule, ...row!.then });
  });

  it('every row of the table decides some combination (no dead rules)', () => {
    for (const r of TABLE) expect(hits.get(r.rule), r.rule).toBeGreaterThan(0);
  });
});

describe('the rules the issue names, one by one', () => {
  const find = (pred: (c: ConsentCombination) => boolean) => everyConsentCombination().find(pred)!;
  const active = (c: ConsentCombination) =>
    !c.withdrawn && c.dataUseAllows && !c.commercial && c.standingFrom === 'own';

  it('withdrawal beats a study yes and a standing yes', () => {
    const c = find((x) => x.withdrawn && x.study === 'permit' && x.primary === 'permit');
    expect(decideConsent(c.facts).consent).toBe('deny');
  });

  // Combinations that differ only in what they pick out and what must come out.
  it.each<[string, (c: ConsentCombination) => boolean, Partial<ConsentDecision>]>([
    [
      'a later standing no beats an earlier study yes when the study has no data yet',
      (x) =>
        x.study === 'permit' && x.primary === 'deny' && x.standingAfterStudy && !x.receivedData,
      { consent: 'deny', awaitingAnswer: false },
    ],
    [
      'the earlier yes stands, awaiting an answer, when the study already received data',
      (x) => x.study === 'permit' && x.primary === 'deny' && x.standingAfterStudy && x.receivedData,
      { consent: 'permit', awaitingAnswer: true },
    ],
    [
      'a later study yes beats a standing ask and "ask me each time"',
      (x) => x.study === 'permit' && x.primary === 'ask' && x.askEachTime && !x.standingAfterStudy,
      { consent: 'permit', rule: 'study-yes' },
    ],
  ])('%s', (_title, picks, expected) => {
    const c = find((x) => active(x) && picks(x));
    expect(decideConsent(c.facts)).toMatchObject(expected);
  });

  it('the same instant is not later: the study yes stands', () => {
    const at = new Date('2026-05-01T00:00:00Z');
    const c = find((x) => active(x) && x.study === 'permit' && x.primary === 'deny');
    const facts = {
      ...c.facts,
      choiceSince: { HMB: at },
      studyDecision: { decision: 'permit' as const, at },
    };
    expect(decideConsent(facts).rule).toBe('study-yes');
  });
});

describe('the consent given at collection, for those who never state their own choices', () => {
  const base = everyConsentCombination().find(
    (x) =>
      !x.withdrawn &&
      x.dataUseAllows &&
      !x.commercial &&
      x.study === 'none' &&
      x.standingFrom === 'own' &&
      x.primary === 'ask' &&
      !x.askEachTime,
  )!.facts;
  const unstated = (collection: CollectionConsent[], primary: PurposeCategory = 'HMB') => ({
    ...base,
    preferences: null,
    purpose: { primary, commercial: false },
    collection,
  });
  const broadGru: CollectionConsent = { kind: 'broad_gru', duoCodes: [] };
  const broadHmb: CollectionConsent = { kind: 'broad_hmb', duoCodes: [] };
  const recontact: CollectionConsent = { kind: 'recontact_each_use', duoCodes: [] };

  it('broad GRU at collection: a GRU study is permitted without asking', () => {
    expect(decideConsent(unstated([broadGru], 'GRU'))).toMatchObject({
      consent: 'permit',
      rule: 'collection-yes',
    });
  });

  it('re-contact for each use: they are asked', () => {
    expect(decideConsent(unstated([recontact], 'GRU'))).toMatchObject({
      consent: 'ask',
      rule: 'collection-ask',
    });
  });

  it('broad HMB covers health and disease research, not ancestry or general research', () => {
    expect(decideConsent(unstated([broadHmb], 'DS')).consent).toBe('permit');
    expect(decideConsent(unstated([broadHmb], 'POA')).consent).toBe('ask');
    expect(decideConsent(unstated([broadHmb], 'GRU')).consent).toBe('ask');
  });

  it('specific consent covers the DUO codes it names and what they contain', () => {
    const specific: CollectionConsent = { kind: 'specific', duoCodes: ['POA', 'MDS'] };
    expect(decideConsent(unstated([specific], 'POA')).consent).toBe('permit');
    expect(decideConsent(unstated([specific], 'METHODS')).consent).toBe('permit');
    expect(decideConsent(unstated([specific], 'HMB')).consent).toBe('ask');
  });

  it('data from several datasets: the most restrictive collection consent decides', () => {
    expect(decideConsent(unstated([broadGru, broadHmb], 'HMB')).consent).toBe('permit');
    expect(decideConsent(unstated([broadGru, broadHmb], 'POA')).consent).toBe('ask');
    expect(decideConsent(unstated([broadGru, recontact], 'HMB')).consent).toBe('ask');
  });

  it('no collection consent known: asked', () => {
    expect(decideConsent(unstated([], 'HMB')).rule).toBe('collection-ask');
  });

  it('commercial use is never covered by a collection consent', () => {
    const facts = { ...unstated([broadGru], 'GRU'), purpose: { primary: 'GRU', commercial: true } };
    expect(decideConsent(facts as ConsentFacts).consent).toBe('ask');
  });

  it("the participant's own later choice beats the collection default", () => {
    const own = (choice: 'permit' | 'deny' | 'ask') => ({
      ...unstated([broadGru], 'HMB'),
      preferences: {
        ...DEFAULT_PREFERENCES,
        purposes: { ...DEFAULT_PREFERENCES.purposes, HMB: choice },
      },
    });
    expect(decideConsent(own('ask'))).toMatchObject({ consent: 'ask', rule: 'standing-ask' });
    expect(decideConsent(own('deny'))).toMatchObject({ consent: 'deny', rule: 'standing-no' });
    expect(decideConsent(unstated([recontact], 'HMB')).consent).toBe('ask');
    expect(
      decideConsent({
        ...unstated([recontact]),
        studyDecision: { decision: 'permit', at: new Date() },
      }).rule,
    ).toBe('study-yes');
    expect(
      decideConsent({
        ...unstated([broadGru]),
        studyDecision: { decision: 'deny', at: new Date() },
      }).rule,
    ).toBe('study-no');
  });
});

describe('choiceSinceOf', () => {
  const t = (d: number) => new Date(Date.UTC(2026, 0, d));
  it('dates each scope from the first version of its current unbroken run', () => {
    const since = choiceSinceOf([
      { version: 3, purposes: { HMB: 'deny', GRU: 'permit' }, createdAt: t(3) },
      { version: 1, purposes: { HMB: 'deny', GRU: 'permit' }, createdAt: t(1) },
      { version: 2, purposes: { HMB: 'permit', GRU: 'permit' }, createdAt: t(2) },
    ]);
    expect(since).toEqual({ HMB: t(3), GRU: t(1) });
  });
  it('knows nothing without versions', () => {
    expect(choiceSinceOf([])).toEqual({});
  });
});
