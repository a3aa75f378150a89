import type { Tx } from '../../db/database.js';
import type { ResearchPurposeArgs } from '../consent/research-purpose.types.js';
import type { CohortIndex } from './cohort-index.js';
import { RoaringBitmap32 } from './roaring.js';

/** A cohort split by what its members' consent says about a purpose. */
export interface ConsentSplit {
  permitted: RoaringBitmap32;
  ask: RoaringBitmap32;
  excluded: RoaringBitmap32;
}

/**
 * Splits a cohort by consent for a purpose. The consent module provides the real one (dataset
 * data use × standing preferences × study decisions); the caller disposes the bitmaps.
 */
export interface ConsentBreakdownProvider {
  split(
    tx: Tx,
    index: CohortIndex,
    members: RoaringBitmap32,
    purpose: ResearchPurposeArgs,
  ): Promise<ConsentSplit>;
}

/**
 * Before any consent is recorded, nobody has said yes or no to a new purpose: under dynamic
 * consent every member would have to be asked.
 */
export const everyoneMustBeAsked: ConsentBreakdownProvider = {
  split: async (_tx, _index, members) => ({
    permitted: new RoaringBitmap32(),
    ask: members.clone(),
    excluded: new RoaringBitmap32(),
  }),
};
