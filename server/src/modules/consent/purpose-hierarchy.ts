import type { ResearchPurpose } from './duo/match-types.js';
import type { ConsentChoice, ConsentPreferences, ConsentScope } from './preferences.js';

/** The is-a ancestry of a term: the term itself and everything above it (ontology-graph.ts). */
export type Ancestry = (curie: string) => ReadonlySet<string>;

/** Without an ontology a disease is only itself: a named disease covers exactly that id. */
export const SELF_ONLY: Ancestry = (curie) => new Set([curie]);

/**
 * The standing choice that governs one part of a purpose, and its key: a scope (`HMB`,
 * `COMMERCIAL`) or a named disease (`DS:MONDO:0005084`). The key is what `choiceSince` dates.
 */
export interface GoverningChoice {
  key: string;
  choice: ConsentChoice;
}

const SEVERITY: Record<ConsentChoice, number> = { permit: 0, ask: 1, deny: 2 };

/** The strictest of some choices (deny over ask over permit; none: permit). */
export function strictest(choices: readonly ConsentChoice[]): ConsentChoice {
  return choices.reduce<ConsentChoice>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'permit');
}

/** The key `choiceSince` uses for a named disease. */
export const diseaseKey = (id: string) => `DS:${id}`;

/**
 * THE nested rule for research on one disease (docs/consent-precedence.md, "Nested purposes"):
 * DUO's GRU ⊇ HMB ⊇ DS(disease) with MONDO below DS. The most specific stated choice decides:
 * among the diseases the participant named that are the disease itself or one of its is-a
 * ancestors, the lowest ones (those with no other named one below them on the way to the
 * disease); when several branches meet there (MONDO is a graph, not a tree), the strictest of
 * them. With none named, the DS answer decides. HMB and GRU come after DS in the chain, but
 * every level is always answered (the form carries a change of a broader answer down to the
 * narrower answers that were the same as it), so for a DS purpose they never decide: an
 * unanswered narrower level is a disease nobody named, and it inherits from the nearest named
 * ancestor, then DS.
 */
export function governingDiseaseChoices(
  prefs: Pick<ConsentPreferences, 'purposes' | 'diseases'>,
  disease: string,
  ancestry: Ancestry,
): GoverningChoice[] {
  const above = ancestry(disease);
  const named = (prefs.diseases ?? []).filter((d) => above.has(d.id));
  const lowest = named.filter((n) => !named.some((m) => m.id !== n.id && ancestry(m.id).has(n.id)));
  if (lowest.length === 0) return [{ key: 'DS', choice: prefs.purposes.DS }];
  return lowest.map((d) => ({ key: diseaseKey(d.id), choice: d.choice }));
}

/**
 * Every standing choice a purpose touches, each with its key: the purpose's primary category
 * (for DS, each of its diseases through the nested rule; a DS purpose naming none is governed by
 * the DS answer), and commercial use when the purpose is commercial (a modifier on top of the
 * primary). POA and METHODS are their own axes.
 */
export function governingChoices(
  prefs: Pick<ConsentPreferences, 'purposes' | 'diseases'>,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'> & { diseases?: readonly string[] },
  ancestry: Ancestry = SELF_ONLY,
): GoverningChoice[] {
  const primary: GoverningChoice[] =
    purpose.primary === 'DS' && purpose.diseases && purpose.diseases.length > 0
      ? purpose.diseases.flatMap((d) => governingDiseaseChoices(prefs, d, ancestry))
      : [{ key: purpose.primary, choice: prefs.purposes[purpose.primary as ConsentScope] }];
  return purpose.commercial
    ? [...primary, { key: 'COMMERCIAL', choice: prefs.purposes.COMMERCIAL }]
    : primary;
}

/** The one standing answer for a purpose: the strictest of the choices it touches. */
export function standingChoice(
  prefs: Pick<ConsentPreferences, 'purposes' | 'diseases'>,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'> & { diseases?: readonly string[] },
  ancestry: Ancestry = SELF_ONLY,
): ConsentChoice {
  return strictest(governingChoices(prefs, purpose, ancestry).map((g) => g.choice));
}
