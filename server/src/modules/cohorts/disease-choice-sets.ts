import type { Ancestry } from '../consent/purpose-hierarchy.js';
import { diseaseChoiceKey, namedDiseaseKey, type CohortIndex } from './cohort-index.js';
import type { BitmapArena, RoaringBitmap32 } from './roaring.js';
import { RoaringBitmap32 as Bitmap } from './roaring.js';

/** Who permits and who denies research on one disease, standing (the rest: ask). */
export interface DiseaseChoiceSets {
  permit: RoaringBitmap32;
  deny: RoaringBitmap32;
}

/**
 * The nested rule of consent/purpose-hierarchy.ts (`governingDiseaseChoices`) as set algebra, for
 * research on one disease: everyone who named none of the diseases on its is-a ancestry follows
 * their DS answer; everyone else is governed by the lowest of the ones they named (a named disease
 * governs those who named it and no other named disease below it on the way down), the strictest
 * when several do. Bitmaps are owned by the arena.
 */
export function diseaseChoiceSets(
  index: CohortIndex,
  disease: string,
  ancestry: Ancestry,
  ds: { permit: RoaringBitmap32 | undefined; deny: RoaringBitmap32 | undefined },
  arena: BitmapArena,
): DiseaseChoiceSets {
  const own = (b: RoaringBitmap32) => arena.own(b);
  const above = ancestry(disease);
  const relevant = index.namedDiseases().filter((id) => above.has(id));
  const named = (id: string) => index.choiceSet(namedDiseaseKey(id)) ?? own(new Bitmap());
  const anyNamed = own(new Bitmap());
  for (const id of relevant) anyNamed.orInPlace(named(id));
  const permit = own(ds.permit ? Bitmap.andNot(ds.permit, anyNamed) : new Bitmap());
  const deny = own(ds.deny ? Bitmap.andNot(ds.deny, anyNamed) : new Bitmap());
  const namedPermit = own(new Bitmap());
  const namedAsk = own(new Bitmap());
  const namedDeny = own(new Bitmap());
  for (const id of relevant) {
    // Governed by this disease: named it, and named no other relevant disease below it.
    const governs = own(named(id).clone());
    for (const other of relevant)
      if (other !== id && ancestry(other).has(id)) governs.andNotInPlace(named(other));
    const pick = (code: 'p' | 'd' | 'a', into: RoaringBitmap32) => {
      const set = index.choiceSet(diseaseChoiceKey(id, code));
      if (set) into.orInPlace(own(Bitmap.and(governs, set)));
    };
    pick('p', namedPermit);
    pick('a', namedAsk);
    pick('d', namedDeny);
  }
  // The strictest of the governing choices: a deny anywhere denies, an ask blocks a permit.
  namedPermit.andNotInPlace(namedAsk);
  namedPermit.andNotInPlace(namedDeny);
  permit.orInPlace(namedPermit);
  deny.orInPlace(namedDeny);
  return { permit, deny };
}
