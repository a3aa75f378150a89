import type { Tx } from '../../db/database.js';
import type { ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import type { CohortIndex } from './cohort-index.js';
import type { RoaringBitmap32 } from './roaring.js';

/** A cohort split by what its members' consent says about a purpose. */
export interface ConsentSplit {
  permitted: RoaringBitmap32;
  /** Those of `permitted` whose standing preferences their own passkey signed. */
  permittedSigned: RoaringBitmap32;
  ask: RoaringBitmap32;
  excluded: RoaringBitmap32;
}

/**
 * Splits a cohort by consent for a purpose. preference-breakdown.ts provides the real one (dataset
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
