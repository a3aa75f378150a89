import { beforeAll, describe, expect, it } from 'vitest';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import { CohortIndex } from './cohort-index.js';
import { initRoaring } from './roaring.js';

// Gene bitmaps built ahead of the first query must count what a lazily built one counts, and
// must still follow a variant that changes afterwards.
describe('CohortIndex.warmGeneCache', () => {
  beforeAll(() => initRoaring());

  const build = () => {
    const index = new CohortIndex(new OntologyGraph(new Map(), []));
    for (let num = 1; num <= 5_000; num += 1)
      index.upsertParticipant({
        num,
        sex: 'female',
        birthYear: 1980,
        eligible: true,
        active: true,
        choices: 'pppppp',
        askEachTime: false,
        signedConsent: false,
        statedOwn: false,
      });
    const range = (from: number, to: number) =>
      Uint32Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const none = new Uint32Array();
    // BRCA1: a dense variant (a bitmap) and two sparse ones (arrays); TP53: one sparse variant.
    const variants = [
      { id: 1, gene: 'BRCA1', carriers: range(1, 3_000) },
      { id: 2, gene: 'BRCA1', carriers: Uint32Array.of(4_000, 4_001) },
      { id: 3, gene: 'BRCA1', carriers: Uint32Array.of(2, 4_500) },
      { id: 4, gene: 'TP53', carriers: Uint32Array.of(10, 20, 30) },
    ];
    for (const v of variants)
      index.setVariant({
        ...v,
        chrom: '17',
        pos: 1_000 + v.id,
        ref: 'A',
        alt: 'G',
        homozygous: none,
        hemizygous: none,
      });
    return index;
  };

  it('counts what the lazily built bitmaps count', () => {
    const lazy = build();
    const warm = build();
    try {
      expect(warm.warmGeneCache()).toBe(2);
      for (const genes of [['BRCA1'], ['TP53'], ['BRCA1', 'TP53'], ['NOPE']])
        expect(warm.count({ genes })).toBe(lazy.count({ genes }));
      expect(warm.count({ genes: ['BRCA1'] })).toBe(3_003);
      // Already built: nothing more to warm.
      expect(warm.warmGeneCache()).toBe(0);
    } finally {
      lazy.dispose();
      warm.dispose();
    }
  });

  it('warms the genes with the most variants first, up to the cap', () => {
    const index = build();
    try {
      expect(index.warmGeneCache(1)).toBe(1);
      expect(index.warmGeneCache(1)).toBe(0);
      expect(index.warmGeneCache(2)).toBe(1);
    } finally {
      index.dispose();
    }
  });

  it('follows a variant that changes after the warm-up', () => {
    const index = build();
    try {
      index.warmGeneCache();
      index.setVariant({
        id: 4,
        chrom: '17',
        pos: 1_004,
        ref: 'A',
        alt: 'G',
        gene: 'TP53',
        carriers: Uint32Array.of(10, 20, 30, 40),
        homozygous: new Uint32Array(),
        hemizygous: new Uint32Array(),
      });
      expect(index.count({ genes: ['TP53'] })).toBe(4);
    } finally {
      index.dispose();
    }
  });
});
