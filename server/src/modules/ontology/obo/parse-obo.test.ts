import { describe, expect, it } from 'vitest';
import { OboFormatError } from './obo-format-error.js';
import { parseObo, readOboFile } from './parse-obo.js';
import { SHIPPED_ONTOLOGY_FILES } from './shipped-subsets.js';

const SAMPLE = `format-version: 1.4
data-version: hp/releases/2026-09-01

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
synonym: "Organ abnormality" EXACT []
is_a: HP:0000001 ! All

[Term]
id: HP:0001250
name: Seizure
alt_id: HP:0001275
synonym: "Epileptic \\"fits\\"" EXACT layperson [ORCID:1]
is_a: HP:0000118 {source="x"} ! Phenotypic abnormality
is_a: UBERON:0000955 ! brain

[Term]
id: HP:0002069
name: Bilateral tonic-clonic seizure
is_a: HP:0001250 ! Seizure
is_a: HP:0001250 ! Seizure (repeated)

[Term]
id: HP:0000002
name: obsolete Old term
is_obsolete: true
replaced_by: HP:0001250

[Term]
id: UBERON:0000955
name: brain

[Typedef]
id: part_of
name: part of
`;

describe('parseObo', () => {
  it('reads terms and is_a edges, strips comments and qualifiers, skips other stanzas and prefixes', () => {
    const o = parseObo(SAMPLE);
    expect(o.formatVersion).toBe('1.4');
    expect(o.dataVersion).toBe('hp/releases/2026-09-01');
    expect(o.terms.map((t) => t.curie)).toEqual([
      'HP:0000001',
      'HP:0000118',
      'HP:0001250',
      'HP:0002069',
      'HP:0000002',
    ]);
    expect(o.terms[2]).toEqual({
      curie: 'HP:0001250',
      ontology: 'HP',
      label: 'Seizure',
      obsolete: false,
      replacedBy: [],
      altIds: ['HP:0001275'],
      synonyms: ['Epileptic "fits"'],
    });
    expect(o.terms[4]).toMatchObject({ obsolete: true, replacedBy: ['HP:0001250'] });
    expect(o.edges).toEqual([
      { child: 'HP:0000118', parent: 'HP:0000001' },
      { child: 'HP:0001250', parent: 'HP:0000118' },
      { child: 'HP:0002069', parent: 'HP:0001250' },
    ]);
    expect(o.skipped).toEqual({ typedef: 1, 'other-prefix': 1, 'dangling-is-a': 1 });
  });

  it('computes ancestors and descendants transitively', () => {
    const { graph } = parseObo(SAMPLE);
    expect([...graph.ancestorsOf('HP:0002069')].sort()).toEqual([
      'HP:0000001',
      'HP:0000118',
      'HP:0001250',
      'HP:0002069',
    ]);
    expect([...graph.descendantsOf('HP:0000118')].sort()).toEqual([
      'HP:0000118',
      'HP:0001250',
      'HP:0002069',
    ]);
    expect(graph.subsumes('HP:0000118', 'HP:0002069')).toBe(true);
    expect(graph.subsumes('HP:0002069', 'HP:0000118')).toBe(false);
    expect([...graph.closure(['HP:0001250'])]).toEqual([
      ['HP:0001250', 'HP:0000118'],
      ['HP:0001250', 'HP:0000001'],
    ]);
  });

  it('refuses an is_a cycle, naming its terms', () => {
    const cyclic = `${SAMPLE}\n[Term]\nid: HP:0000003\nname: A\nis_a: HP:0000004\n\n[Term]\nid: HP:0000004\nname: B\nis_a: HP:0000005\n\n[Term]\nid: HP:0000005\nname: C\nis_a: HP:0000003 ! A\n`;
    let err: unknown;
    try {
      parseObo(cyclic);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OboFormatError);
    const cycle = (err as OboFormatError).cycle!;
    expect(new Set(cycle)).toEqual(new Set(['HP:0000003', 'HP:0000004', 'HP:0000005']));
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect((err as Error).message).toMatch(/is_a cycle: HP:\d{7} → HP:\d{7} → HP:\d{7} → HP:\d{7}/);
    expect(() => parseObo('[Term]\nid: HP:0000001\nname: x\nis_a: HP:0000001\n')).toThrow(
      /is_a cycle: HP:0000001 → HP:0000001/,
    );
  });

  it('refuses malformed stanzas with their line', () => {
    expect(() => parseObo('[Term]\nid: HP:1\nname: x\n')).toThrow(
      /line 1: malformed term id "HP:1"/,
    );
    expect(() =>
      parseObo('[Term]\nid: HP:0000001\nname: x\n\n[Term]\nid: HP:0000001\nname: y\n'),
    ).toThrow(/line 5: duplicate term HP:0000001/);
    expect(() => parseObo('[Term]\nid: HP:0000001\n')).toThrow(/has no name/);
    expect(() => parseObo('[Term]\nname: x\n')).toThrow(/has no id/);
    expect(() => parseObo('[Term]\nid: HP:0000001\nnonsense\n')).toThrow(
      /line 3: expected "tag: value"/,
    );
  });
});

describe('shipped ontology subsets', () => {
  it.each([
    [
      'HP',
      'HP:0000001',
      ['HP:0000118', 'HP:0001250', 'HP:0001263', 'HP:0000717', 'HP:0001627', 'HP:0002664'],
    ],
    [
      'MONDO',
      'MONDO:0000001',
      ['MONDO:0004992', 'MONDO:0005575', 'MONDO:0007254', 'MONDO:0005015', 'MONDO:0005148'],
    ],
  ] as const)(
    '%s parses, is one rooted tree of 40–90 terms, several levels deep',
    async (prefix, root, must) => {
      const o = await readOboFile(SHIPPED_ONTOLOGY_FILES[prefix]);
      expect(o.terms.length).toBeGreaterThanOrEqual(40);
      expect(o.terms.length).toBeLessThanOrEqual(90);
      expect(o.skipped).toEqual({ typedef: 1 });
      expect(o.terms.every((t) => t.ontology === prefix && !t.obsolete)).toBe(true);
      const all = o.graph.descendantsOf(root);
      expect(all.size).toBe(o.terms.length);
      for (const id of must) expect(all.has(id)).toBe(true);
      const depth = Math.max(...o.terms.map((t) => o.graph.ancestorsOf(t.curie).size));
      expect(depth).toBeGreaterThanOrEqual(4);
    },
  );

  it('supports descendant queries: colorectal cancer is a cancer, not the reverse', async () => {
    const mondo = await readOboFile(SHIPPED_ONTOLOGY_FILES.MONDO);
    expect(mondo.graph.subsumes('MONDO:0004992', 'MONDO:0005575')).toBe(true);
    expect(mondo.graph.subsumes('MONDO:0005575', 'MONDO:0004992')).toBe(false);
    const hp = await readOboFile(SHIPPED_ONTOLOGY_FILES.HP);
    expect(hp.graph.descendantsOf('HP:0000707').has('HP:0000717')).toBe(true);
  });
});
