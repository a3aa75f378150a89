import { describe, expect, it } from 'vitest';
import {
  everyConsentCombination,
  type ConsentCombination,
} from '../../test/consent-combinations.js';
import {
  choiceSinceOf,
  decideConsent,
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
    when: { study: 'permit', anyStandingNo: true, standingAfterStudy: true, receivedData: false },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  {
    rule: 'later-standing-no-awaiting-answer',
    when: { study: 'permit', anyStandingNo: true, standingAfterStudy: true, receivedData: true },
    then: { consent: 'permit', awaitingAnswer: true },
  },
  {
    rule: 'study-yes',
    when: { study: 'permit' },
    then: { consent: 'permit', awaitingAnswer: false },
  },
  {
    rule: 'standing-no',
    when: { study: 'none', anyStandingNo: true },
    then: { consent: 'deny', awaitingAnswer: false },
  },
  {
    rule: 'standing-yes',
    when: { study: 'none', allStandingYes: true, askEachTime: false },
    then: { consent: 'permit', awaitingAnswer: false },
  },
  {
    rule: 'standing-ask',
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
  };
  return (Object.keys(p) as (keyof Pattern)[]).every((k) => p[k] === actual[k]);
}

describe('consent precedence: every combination against the table', () => {
  const combos = everyConsentCombination();
  const hits = new Map<PrecedenceRule, number>();

  it('covers every combination of the inputs', () => {
    expect(combos).toHaveLength(2 * 2 * (3 + 9) * 2 * 3 * 2 * 2);
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
  const active = (c: ConsentCombination) => !c.withdrawn && c.dataUseAllows && !c.commercial;

  it('withdrawal beats a study yes and a standing yes', () => {
    const c = find((x) => x.withdrawn && x.study === 'permit' && x.primary === 'permit');
    expect(decideConsent(c.facts).consent).toBe('deny');
  });

  it('a later standing no beats an earlier study yes when the study has no data yet', () => {
    const c = find(
      (x) =>
        active(x) &&
        x.study === 'permit' &&
        x.primary === 'deny' &&
        x.standingAfterStudy &&
        !x.receivedData,
    );
    expect(decideConsent(c.facts)).toMatchObject({ consent: 'deny', awaitingAnswer: false });
  });

  it('the earlier yes stands, awaiting an answer, when the study already received data', () => {
    const c = find(
      (x) =>
        active(x) &&
        x.study === 'permit' &&
        x.primary === 'deny' &&
        x.standingAfterStudy &&
        x.receivedData,
    );
    expect(decideConsent(c.facts)).toMatchObject({ consent: 'permit', awaitingAnswer: true });
  });

  it('a later study yes beats a standing ask and "ask me each time"', () => {
    const c = find(
      (x) =>
        active(x) &&
        x.study === 'permit' &&
        x.primary === 'ask' &&
        x.askEachTime &&
        !x.standingAfterStudy,
    );
    expect(decideConsent(c.facts)).toMatchObject({ consent: 'permit', rule: 'study-yes' });
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
