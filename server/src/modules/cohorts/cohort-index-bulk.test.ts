import { beforeAll, describe, expect, it } from 'vitest';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import type { CohortCriteria } from './cohort-criteria.js';
import {
  CohortIndex,
  diseaseChoiceKey,
  namedDiseaseKey,
  type ParticipantFacts,
} from './cohort-index.js';
import { initRoaring } from './roaring.js';

// `loadParticipants` (a snapshot load) must build exactly the sets `upsertParticipant` builds
// one participant at a time: every count and consent breakdown reads them.
describe('CohortIndex.loadParticipants', () => {
  beforeAll(() => initRoaring());

  const people = (): ParticipantFacts[] => {
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    // Numbers out of order, as a snapshot may hold them.
    return Array.from({ length: 600 }, (_, i) => ({
      num: ((i * 379) % 600) + 1,
      sex: pick(['female', 'male', 'other', 'unknown']),
      birthYear: rand() < 0.1 ? null : 1940 + Math.floor(rand() * 70),
      eligible: rand() > 0.1,
      active: rand() > 0.05,
      choices: Array.from({ length: 6 }, () => pick(['p', 'd', 'a'])).join(''),
      askEachTime: rand() < 0.2,
      signedConsent: rand() < 0.3,
      statedOwn: rand() < 0.4,
      ...(rand() < 0.1 ? { diseaseChoices: [['MONDO:0004992', pick(['p', 'd', 'a'])]] } : {}),
    }));
  };
  const choiceKeys = [
    ...Array.from({ length: 6 }, (_, i) => ['p', 'd', 'a'].map((c) => `${i}:${c}`)).flat(),
    'askEachTime',
    'signed',
    'stated',
    namedDiseaseKey('MONDO:0004992'),
    ...(['p', 'd', 'a'] as const).map((c) => diseaseChoiceKey('MONDO:0004992', c)),
  ];
  const shapes: CohortCriteria[] = [
    {},
    { sex: 'female' },
    { sex: 'other' },
    { ageMin: 30, ageMax: 60 },
    { ageMax: 20, not: { sex: 'male' } },
  ];

  it('builds the same sets as upsertParticipant one by one', () => {
    const graph = new OntologyGraph(new Map(), []);
    const one = new CohortIndex(graph);
    for (const p of people()) one.upsertParticipant(p);
    const bulk = new CohortIndex(graph);
    bulk.loadParticipants(people());
    try {
      expect(bulk.stats()).toEqual(one.stats());
      expect(shapes.map((c) => bulk.count(c))).toEqual(shapes.map((c) => one.count(c)));
      expect(shapes.map((c) => one.count(c)).filter((n) => n > 0).length).toBe(shapes.length);
      for (const key of choiceKeys)
        expect([key, bulk.choiceSet(key)?.toArray()]).toEqual([key, one.choiceSet(key)?.toArray()]);
      expect(one.choiceSet(namedDiseaseKey('MONDO:0004992'))!.size).toBeGreaterThan(0);
      const byNum = (xs: Iterable<ParticipantFacts>) => [...xs].sort((a, b) => a.num - b.num);
      expect(byNum(bulk.participantFacts())).toEqual(byNum(one.participantFacts()));
    } finally {
      one.dispose();
      bulk.dispose();
    }
  });

  it('refuses a repeated participant and an index that already holds some', () => {
    const graph = new OntologyGraph(new Map(), []);
    const [a] = people();
    const index = new CohortIndex(graph);
    try {
      expect(() => index.loadParticipants([a!, { ...a!, sex: 'male' }])).toThrow(/twice/);
      const other = new CohortIndex(graph);
      other.upsertParticipant(a!);
      expect(() => other.loadParticipants([{ ...a!, num: a!.num + 1 }])).toThrow(/empty index/);
      other.dispose();
    } finally {
      index.dispose();
    }
  });
});
