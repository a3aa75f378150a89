import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { scopesOf } from '../consent/effective-consent.js';
import type { ConsentScope } from '../consent/preferences.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentSplit } from './consent-breakdown.js';
import { diseaseChoiceSets } from './disease-choice-sets.js';
import { choiceKey } from './preference-breakdown.js';
import { BitmapArena, RoaringBitmap32 } from './roaring.js';

/** Why some members of a split must be asked or are excluded: a count, never a name. */
export interface ConsentReason {
  outcome: 'ask' | 'excluded';
  reason: string;
  count: number;
}

const SCOPE_WORDS: Record<ConsentScope, string> = {
  GRU: 'general research use',
  HMB: 'health and medical research',
  DS: 'disease-specific research',
  POA: 'population and ancestry research',
  METHODS: 'methods research',
  COMMERCIAL: 'commercial use',
};

/**
 * One part of a purpose a standing choice governs, in words, with who denies it and who is
 * governed by an "ask me" for it (among those who stated their own choices).
 */
interface GovernedPart {
  words: string;
  deny: RoaringBitmap32 | undefined;
  ask: RoaringBitmap32 | undefined;
}

/**
 * The parts of a purpose the standing choices govern, as the split reads them: its scopes, except
 * that a DS purpose naming diseases is governed per disease by the nested rule
 * (consent/purpose-hierarchy.ts, as set algebra in disease-choice-sets.ts), so someone who allows
 * disease-specific research but not psychiatric disorders is counted under the disorder, and
 * someone who denies DS but allows the study's disease is not counted as a "no" at all.
 */
function governedParts(
  index: CohortIndex,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial' | 'diseases'>,
  stated: RoaringBitmap32,
  arena: BitmapArena,
): GovernedPart[] {
  const scopePart = (s: ConsentScope): GovernedPart => ({
    words: SCOPE_WORDS[s],
    deny: index.choiceSet(choiceKey(s, 'd')),
    ask: index.choiceSet(choiceKey(s, 'a')),
  });
  if (purpose.primary !== 'DS' || purpose.diseases.length === 0)
    return scopesOf(purpose).map(scopePart);
  const graph = index.ontologyGraph();
  const ds = {
    permit: index.choiceSet(choiceKey('DS', 'p')),
    deny: index.choiceSet(choiceKey('DS', 'd')),
  };
  const diseases = purpose.diseases.map((d): GovernedPart => {
    const sets = diseaseChoiceSets(index, d, (c) => graph.ancestors(c), ds, arena);
    // Every stated member is governed by some answer: neither permit nor deny is ask.
    const ask = arena.own(RoaringBitmap32.andNot(stated, sets.permit));
    ask.andNotInPlace(sets.deny);
    return { words: `research on ${graph.label(d) ?? d}`, deny: sets.deny, ask };
  });
  return purpose.commercial ? [...diseases, scopePart('COMMERCIAL')] : diseases;
}

/**
 * The reasons behind a split (preference-breakdown.ts) as counts, from the same index sets and
 * the same nested rule: for the excluded, each governed part they said no to, and "their
 * datasets' data use does not allow the purpose" for the rest; for those to be asked, each part
 * they answered "ask me", "ask me each time", and never having chosen. A member may have several
 * reasons, so the counts can add up to more than the group. Empty reasons are left out.
 */
export function consentReasons(
  index: CohortIndex,
  split: ConsentSplit,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial' | 'diseases'>,
): ConsentReason[] {
  const reasons: ConsentReason[] = [];
  const count = (group: RoaringBitmap32, set: RoaringBitmap32 | undefined) => {
    if (!set) return 0;
    const hit = RoaringBitmap32.and(group, set);
    try {
      return hit.size;
    } finally {
      hit.dispose();
    }
  };
  const arena = new BitmapArena();
  try {
    // Those who never stated their own choices sit in the "ask" sets with the defaults: they are
    // asked because the consent given at collection does not cover the purpose.
    const stated = index.choiceSet('stated') ?? arena.own(new RoaringBitmap32());
    const parts = governedParts(index, purpose, stated, arena);
    const byPreference = arena.own(split.excluded.clone());
    for (const part of parts) {
      reasons.push({
        outcome: 'excluded',
        reason: `Said no to ${part.words}`,
        count: count(split.excluded, part.deny),
      });
      if (part.deny) byPreference.andNotInPlace(part.deny);
    }
    // What no part explains: the data use of every dataset holding their data rules it out.
    reasons.push({
      outcome: 'excluded',
      reason: 'The data use of their datasets does not allow this purpose',
      count: byPreference.size,
    });
    const askStated = arena.own(RoaringBitmap32.and(split.ask, stated));
    for (const part of parts)
      reasons.push({
        outcome: 'ask',
        reason: `Chose “ask me” for ${part.words}`,
        count: count(askStated, part.ask),
      });
    reasons.push({
      outcome: 'ask',
      reason: 'Asked to be asked about every study',
      count: count(askStated, index.choiceSet('askEachTime')),
    });
    reasons.push({
      outcome: 'ask',
      reason: 'Never chose; the consent given when their data was collected does not cover this',
      count: split.ask.size - askStated.size,
    });
  } finally {
    arena.dispose();
  }
  return reasons.filter((r) => r.count > 0);
}
