import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { scopesOf } from '../consent/effective-consent.js';
import type { ConsentScope } from '../consent/preferences.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentSplit } from './consent-breakdown.js';
import { choiceKey } from './preference-breakdown.js';
import { RoaringBitmap32 } from './roaring.js';

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
 * The reasons behind a split (preference-breakdown.ts) as counts, from the same index sets: for
 * the excluded, each touched scope they said no to, and "their datasets' data use does not allow
 * the purpose" for the rest; for those to be asked, each scope set to "ask me" and "ask me each
 * time". A member may have several reasons, so the counts can add up to more than the group.
 * Empty reasons are left out.
 */
export function consentReasons(
  index: CohortIndex,
  split: ConsentSplit,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'>,
): ConsentReason[] {
  const reasons: ConsentReason[] = [];
  const scopes = scopesOf(purpose);
  const count = (group: RoaringBitmap32, set: RoaringBitmap32 | undefined) => {
    if (!set) return 0;
    const hit = RoaringBitmap32.and(group, set);
    try {
      return hit.size;
    } finally {
      hit.dispose();
    }
  };
  const byPreference = split.excluded.clone();
  try {
    for (const s of scopes) {
      const denied = index.choiceSet(choiceKey(s, 'd'));
      reasons.push({
        outcome: 'excluded',
        reason: `Said no to ${SCOPE_WORDS[s]}`,
        count: count(split.excluded, denied),
      });
      if (denied) byPreference.andNotInPlace(denied);
    }
    // What no scope explains: the data use of every dataset holding their data rules it out.
    reasons.push({
      outcome: 'excluded',
      reason: 'The data use of their datasets does not allow this purpose',
      count: byPreference.size,
    });
  } finally {
    byPreference.dispose();
  }
  // Those who never stated their own choices sit in the "ask" sets with the defaults: they are
  // asked because the consent given at collection does not cover the purpose.
  const stated = index.choiceSet('stated');
  const askStated = stated ? RoaringBitmap32.and(split.ask, stated) : new RoaringBitmap32();
  try {
    for (const s of scopes)
      reasons.push({
        outcome: 'ask',
        reason: `Chose “ask me” for ${SCOPE_WORDS[s]}`,
        count: count(askStated, index.choiceSet(choiceKey(s, 'a'))),
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
    askStated.dispose();
  }
  return reasons.filter((r) => r.count > 0);
}
