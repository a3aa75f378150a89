import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import type { CohortIndex } from './cohort-index.js';
import type { ConsentBreakdownProvider, ConsentSplit } from './consent-breakdown.js';
import { RoaringBitmap32 } from './roaring.js';
import { dataUseOfRow } from '../datasets/data-use-changes.service.js';
import { datasets } from '../datasets/datasets.tables.js';
import { matchDataUse } from '../consent/duo/match-data-use.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import { scopesOf } from '../consent/effective-consent.js';
import { CONSENT_SCOPES, type ConsentScope } from '../consent/preferences.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';

/** The index's key for the members who chose permit (p), deny (d) or ask (a) for a scope. */
export const choiceKey = (scope: ConsentScope, code: 'p' | 'd' | 'a') =>
  `${CONSENT_SCOPES.indexOf(scope)}:${code}`;
const key = choiceKey;

/**
 * Splits a cohort by effective consent for a purpose, as set algebra over the index: the same
 * rules as `effectiveConsent` (a test checks them against each other participant by participant).
 * - data use: members of no dataset whose DUO terms allow the purpose are excluded;
 * - any touched scope denied → excluded; all touched scopes permitted and not "ask each time" →
 *   permitted; everyone else must be asked.
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
    const temporaries: RoaringBitmap32[] = [allowedByData];
    try {
      for (const d of await tx.select().from(datasets)) {
        const verdict = matchDataUse(purpose, dataUseOfRow(d), index.ontologyGraph());
        const m = index.datasetMembers(d.id);
        if (verdict.decision !== 'DENY' && m) allowedByData.orInPlace(m);
      }
      const scopes = scopesOf(purpose);
      const permitted = RoaringBitmap32.and(members, allowedByData);
      for (const s of scopes)
        permitted.andInPlace(index.choiceSet(key(s, 'p')) ?? new RoaringBitmap32());
      const askEachTime = index.choiceSet('askEachTime');
      if (askEachTime) permitted.andNotInPlace(askEachTime);
      const excluded = RoaringBitmap32.andNot(members, allowedByData);
      for (const s of scopes) {
        const denied = index.choiceSet(key(s, 'd'));
        if (denied) {
          const hit = RoaringBitmap32.and(members, denied);
          temporaries.push(hit);
          excluded.orInPlace(hit);
        }
      }
      const ask = members.clone();
      ask.andNotInPlace(permitted);
      ask.andNotInPlace(excluded);
      const signed = index.choiceSet('signed');
      const permittedSigned = signed
        ? RoaringBitmap32.and(permitted, signed)
        : new RoaringBitmap32();
      return { permitted, permittedSigned, ask, excluded };
    } finally {
      for (const t of temporaries) t.dispose();
    }
  },
};
