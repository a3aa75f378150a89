import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentBreakdownProvider, ConsentSplit } from './consent-breakdown.js';
import { BitmapArena, RoaringBitmap32 } from './roaring.js';
import { diseaseChoiceSets } from './disease-choice-sets.js';
import { dataUseOfRow } from '../datasets/data-use-changes.service.js';
import { splitByPrecedence } from './precedence-sets.js';
import { datasets } from '../datasets/datasets.tables.js';
import { matchDataUse } from '../consent/duo/match-data-use.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import { collectionCovers, scopesOf } from '../consent/effective-consent.js';
import { collectionConsentOfRow } from '../datasets/collection-consent.js';
import { CONSENT_SCOPES, type ConsentScope } from '../consent/preferences.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';

/** The index's key for the members who chose permit (p), deny (d) or ask (a) for a scope. */
export const choiceKey = (scope: ConsentScope, code: 'p' | 'd' | 'a') =>
  `${CONSENT_SCOPES.indexOf(scope)}:${code}`;
const key = choiceKey;

/**
 * Splits a cohort by effective consent for a purpose, as set algebra over the index: the
 * precedence rules of `decideConsent` through `splitByPrecedence` (tests check them against each
 * other participant by participant, and for every combination). A bare purpose has no study, so
 * only withdrawal, data use, the standing preferences and, for those who never stated any, the
 * collection consent of the datasets allowing the purpose take part.
 */
export const preferenceBreakdown: ConsentBreakdownProvider = {
  async split(
    tx: Tx,
    index: CohortIndex,
    members: RoaringBitmap32,
    args: ResearchPurposeArgs,
  ): Promise<ConsentSplit> {
    const purpose = parseInput(ResearchPurposeSchema, purposeFromArgs(args));
    const allowedByData = new RoaringBitmap32();
    // Rule 7 over the datasets that allow the purpose: covered by one, and by none that does not.
    const collectionPermits = new RoaringBitmap32();
    const collectionAsks = new RoaringBitmap32();
    const nobody = new RoaringBitmap32();
    const arena = new BitmapArena();
    try {
      for (const d of await tx.select().from(datasets)) {
        const verdict = matchDataUse(purpose, dataUseOfRow(d), index.ontologyGraph());
        const m = index.datasetMembers(d.id);
        if (verdict.decision === 'DENY' || !m) continue;
        allowedByData.orInPlace(m);
        if (collectionCovers([collectionConsentOfRow(d)], purpose)) collectionPermits.orInPlace(m);
        else collectionAsks.orInPlace(m);
      }
      collectionPermits.andNotInPlace(collectionAsks);
      const split = splitByPrecedence({
        members,
        dataAllowed: allowedByData,
        touched: touchedChoices(index, purpose, arena),
        askEachTime: index.choiceSet('askEachTime'),
        // No 'stated' set yet means nobody stated their own choices.
        stated: index.choiceSet('stated') ?? nobody,
        collectionPermits,
      });
      // A bare purpose has no study, so nobody awaits an answer about one.
      split.awaitingAnswer.dispose();
      const { permitted, ask, excluded } = split;
      const signed = index.choiceSet('signed');
      const permittedSigned = signed
        ? RoaringBitmap32.and(permitted, signed)
        : new RoaringBitmap32();
      return { permitted, permittedSigned, ask, excluded };
    } finally {
      allowedByData.dispose();
      collectionPermits.dispose();
      collectionAsks.dispose();
      nobody.dispose();
      arena.dispose();
    }
  },
};

/**
 * Per choice the purpose touches, who permits and who denies it: its scopes, except that a DS
 * purpose naming diseases touches each disease through the nested rule (disease-choice-sets.ts).
 */
function touchedChoices(
  index: CohortIndex,
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial' | 'diseases'>,
  arena: BitmapArena,
): { permit: RoaringBitmap32 | undefined; deny: RoaringBitmap32 | undefined }[] {
  const sets = (s: ConsentScope) => ({
    permit: index.choiceSet(key(s, 'p')),
    deny: index.choiceSet(key(s, 'd')),
  });
  if (purpose.primary !== 'DS' || purpose.diseases.length === 0) return scopesOf(purpose).map(sets);
  const graph = index.ontologyGraph();
  const ancestry = (c: string) => graph.ancestors(c);
  const touched = purpose.diseases.map((d) =>
    diseaseChoiceSets(index, d, ancestry, sets('DS'), arena),
  );
  return purpose.commercial ? [...touched, sets('COMMERCIAL')] : touched;
}
