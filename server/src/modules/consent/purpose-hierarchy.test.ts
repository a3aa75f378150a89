import { describe, expect, it } from 'vitest';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import { decideConsent } from './effective-consent.js';
import {
  ConsentPreferencesSchema,
  DEFAULT_PREFERENCES,
  type ConsentPreferences,
} from './preferences.js';
import { purposeContradictions } from './purpose-contradictions.js';
import { governingChoices, standingChoice } from './purpose-hierarchy.js';

// disease > psychiatric disorder > schizophrenia; disease > cancer; schizophrenia also sits
// under a second parent (a made-up "brain disorder") so MONDO's graph shape is exercised.
const DISEASE = 'MONDO:0000001';
const PSYCH = 'MONDO:0002025';
const SCHIZO = 'MONDO:0005090';
const CANCER = 'MONDO:0004992';
const BRAIN = 'MONDO:0005560';
const graph = new OntologyGraph(new Map(), [
  { child: PSYCH, parent: DISEASE },
  { child: SCHIZO, parent: PSYCH },
  { child: SCHIZO, parent: BRAIN },
  { child: BRAIN, parent: DISEASE },
  { child: CANCER, parent: DISEASE },
]);
const ancestry = (c: string) => graph.ancestors(c);

const prefs = (
  purposes: Partial<ConsentPreferences['purposes']>,
  diseases: ConsentPreferences['diseases'] = [],
): ConsentPreferences => ({
  ...DEFAULT_PREFERENCES,
  purposes: { ...DEFAULT_PREFERENCES.purposes, ...purposes },
  diseases,
});
const ds = (...diseases: string[]) => ({ primary: 'DS' as const, commercial: false, diseases });

describe('the nested rule: the most specific stated choice decides', () => {
  const allowHealthNoPsych = prefs({ GRU: 'ask', HMB: 'permit', DS: 'permit' }, [
    { id: PSYCH, choice: 'deny' },
  ]);

  it('allow health research, but deny psychiatric conditions: a schizophrenia study is denied', () => {
    expect(standingChoice(allowHealthNoPsych, ds(SCHIZO), ancestry)).toBe('deny');
    expect(standingChoice(allowHealthNoPsych, ds(PSYCH), ancestry)).toBe('deny');
  });

  it('a disease not named inherits DS: a cancer study is permitted', () => {
    expect(standingChoice(allowHealthNoPsych, ds(CANCER), ancestry)).toBe('permit');
    expect(governingChoices(allowHealthNoPsych, ds(CANCER), ancestry)).toEqual([
      { key: 'DS', choice: 'permit' },
    ]);
  });

  it('a DS purpose naming no disease is governed by the DS answer', () => {
    expect(standingChoice(allowHealthNoPsych, ds(), ancestry)).toBe('permit');
  });

  it('a named descendant beats a named ancestor (deny psychiatric, allow schizophrenia)', () => {
    const p = prefs({ DS: 'deny' }, [
      { id: PSYCH, choice: 'deny' },
      { id: SCHIZO, choice: 'permit' },
    ]);
    expect(standingChoice(p, ds(SCHIZO), ancestry)).toBe('permit');
    expect(standingChoice(p, ds(PSYCH), ancestry)).toBe('deny');
  });

  it('two named branches meeting at the disease: the strictest of them', () => {
    const p = prefs({ DS: 'permit' }, [
      { id: PSYCH, choice: 'permit' },
      { id: BRAIN, choice: 'ask' },
    ]);
    expect(standingChoice(p, ds(SCHIZO), ancestry)).toBe('ask');
    expect(
      governingChoices(p, ds(SCHIZO), ancestry)
        .map((g) => g.key)
        .sort(),
    ).toEqual([`DS:${PSYCH}`, `DS:${BRAIN}`]);
  });

  it('a study on several diseases: the strictest over all of them', () => {
    expect(standingChoice(allowHealthNoPsych, ds(CANCER, SCHIZO), ancestry)).toBe('deny');
  });

  it('without the ontology a named disease covers only itself', () => {
    expect(standingChoice(allowHealthNoPsych, ds(SCHIZO))).toBe('permit');
    expect(standingChoice(allowHealthNoPsych, ds(PSYCH))).toBe('deny');
  });

  it('HMB, GRU, POA and METHODS studies are governed by their own level; commercial on top', () => {
    const p = prefs({ GRU: 'deny', HMB: 'permit', POA: 'ask', COMMERCIAL: 'deny' });
    expect(standingChoice(p, { primary: 'HMB', commercial: false })).toBe('permit');
    expect(standingChoice(p, { primary: 'GRU', commercial: false })).toBe('deny');
    expect(standingChoice(p, { primary: 'POA', commercial: false })).toBe('ask');
    expect(standingChoice(p, { primary: 'HMB', commercial: true })).toBe('deny');
  });

  it('decideConsent follows it: rule 6 with the named disease deciding', () => {
    const base = {
      dataUseAllows: true,
      preferences: allowHealthNoPsych,
      ancestry,
    };
    expect(decideConsent({ ...base, purpose: ds(SCHIZO) })).toMatchObject({
      consent: 'deny',
      rule: 'standing-no',
    });
    expect(decideConsent({ ...base, purpose: ds(CANCER) })).toMatchObject({
      consent: 'permit',
      rule: 'standing-yes',
    });
  });

  it('a later "no" for a named disease overrides an earlier study yes (rule 4)', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    const later = new Date('2026-04-01T00:00:00Z');
    expect(
      decideConsent({
        dataUseAllows: true,
        preferences: allowHealthNoPsych,
        ancestry,
        purpose: ds(SCHIZO),
        choiceSince: { [`DS:${PSYCH}`]: later },
        studyDecision: { decision: 'permit', at },
        studyReceivedData: false,
      }),
    ).toMatchObject({ consent: 'deny', rule: 'later-standing-no' });
  });
});

describe('contradictions', () => {
  const cases: [string, Partial<ConsentPreferences['purposes']>, string[]][] = [
    [
      'allow all research, deny health research',
      { GRU: 'permit', HMB: 'deny', DS: 'permit' },
      ['purposes.HMB'],
    ],
    [
      'allow all research, deny disease research',
      { GRU: 'permit', HMB: 'permit', DS: 'deny' },
      ['purposes.DS'],
    ],
    [
      'allow health research, deny disease research',
      { GRU: 'ask', HMB: 'permit', DS: 'deny' },
      ['purposes.DS'],
    ],
  ];
  it.each(cases)('%s is refused', (_name, purposes, fields) => {
    const found = purposeContradictions(prefs(purposes));
    expect(found.map((c) => c.path.join('.'))).toEqual(fields);
    expect(found[0]!.code).toBe('broader-permit-narrower-deny');
  });

  it('says it in words a participant understands', () => {
    const [c] = purposeContradictions(prefs({ GRU: 'permit', HMB: 'deny', DS: 'permit' }));
    expect(c!.message).toContain(
      'You allow all research but not health research: health research is part of all research',
    );
  });

  it('refinements are not contradictions', () => {
    for (const purposes of [
      { GRU: 'deny', HMB: 'permit', DS: 'permit' },
      { GRU: 'ask', HMB: 'deny', DS: 'deny' },
      { GRU: 'permit', HMB: 'ask', DS: 'ask' },
      { GRU: 'permit', HMB: 'permit', DS: 'permit' },
    ] as const)
      expect(purposeContradictions(prefs(purposes, [{ id: PSYCH, choice: 'deny' }]))).toEqual([]);
  });

  it('the same disease twice is refused', () => {
    const found = purposeContradictions(
      prefs({}, [
        { id: PSYCH, choice: 'deny' },
        { id: PSYCH, choice: 'permit' },
      ]),
    );
    expect(found.map((c) => c.path.join('.'))).toEqual(['diseases.1.id']);
  });

  it('the schema refuses contradictions and disease choices without a MONDO id', () => {
    const input = (over: Record<string, unknown>) => ({
      purposes: {
        GRU: 'ask',
        HMB: 'ask',
        DS: 'ask',
        POA: 'ask',
        METHODS: 'ask',
        COMMERCIAL: 'ask',
      },
      askEachTime: false,
      discoverable: true,
      recontact: false,
      ...over,
    });
    expect(ConsentPreferencesSchema.safeParse(input({})).success).toBe(true);
    expect(ConsentPreferencesSchema.parse(input({})).diseases).toBeUndefined();
    for (const diseases of [
      [{ id: '', choice: 'deny' }],
      [{ choice: 'deny' }],
      [{ id: 'HP:0001250', choice: 'deny' }],
      [{ id: 'MONDO:0002025', choice: 'maybe' }],
    ])
      expect(
        ConsentPreferencesSchema.safeParse(input({ diseases })).success,
        JSON.stringify(diseases),
      ).toBe(false);
  });
});
