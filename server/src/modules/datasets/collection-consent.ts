import { z } from 'zod';

/**
 * The consent a dataset's participants gave when their data was collected:
 * - `broad_gru`: any research purpose (general research use);
 * - `broad_hmb`: health, medical or biomedical research (not ancestry);
 * - `specific`: only the uses named by DUO codes;
 * - `recontact_each_use`: nothing beyond the collection itself: ask them about each use.
 * A participant who never states their own choices is governed by it (consent/effective-consent.ts
 * rule 7); none of them covers commercial use, which is always asked about.
 */
export const COLLECTION_CONSENT_KINDS = [
  'broad_gru',
  'broad_hmb',
  'specific',
  'recontact_each_use',
] as const;
export type CollectionConsentKind = (typeof COLLECTION_CONSENT_KINDS)[number];

/** The DUO codes a specific consent may name: the permissions, and MDS for methods research. */
export const COLLECTION_DUO_CODES = ['GRU', 'HMB', 'DS', 'POA', 'MDS'] as const;
export type CollectionDuoCode = (typeof COLLECTION_DUO_CODES)[number];

/** A dataset's collection consent. `duoCodes` only for `specific` (and then at least one). */
export interface CollectionConsent {
  kind: CollectionConsentKind;
  duoCodes: readonly CollectionDuoCode[];
}

/** What every dataset registered without one records: nothing is assumed, each use is asked. */
export const DEFAULT_COLLECTION_CONSENT: CollectionConsent = {
  kind: 'recontact_each_use',
  duoCodes: [],
};

/** Validates a collection consent: a known kind, and DUO codes exactly when it is specific. */
export const CollectionConsentSchema = z
  .strictObject({
    kind: z.enum(COLLECTION_CONSENT_KINDS, {
      message: `must be one of ${COLLECTION_CONSENT_KINDS.join(', ')}`,
    }),
    duoCodes: z
      .array(
        z.enum(COLLECTION_DUO_CODES, {
          message: `must be one of ${COLLECTION_DUO_CODES.join(', ')}`,
        }),
      )
      .max(COLLECTION_DUO_CODES.length)
      .default([]),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'specific' && value.duoCodes.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['duoCodes'],
        message: 'a specific consent must name the DUO codes the participants consented to',
      });
    if (value.kind !== 'specific' && value.duoCodes.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['duoCodes'],
        message: 'DUO codes apply only to a specific consent',
      });
    if (new Set(value.duoCodes).size !== value.duoCodes.length)
      ctx.addIssue({ code: 'custom', path: ['duoCodes'], message: 'each code may appear once' });
  });

/** The research purposes (consent scopes) a collection consent covers, nested as DUO nests them. */
export type CoveredScope = 'GRU' | 'HMB' | 'DS' | 'POA' | 'METHODS';

// GRU ⊇ HMB ⊇ DS; ancestry (POA) and methods research are part of general research only.
const CODE_COVERS: Record<CollectionDuoCode, readonly CoveredScope[]> = {
  GRU: ['GRU', 'HMB', 'DS', 'POA', 'METHODS'],
  HMB: ['HMB', 'DS'],
  DS: ['DS'],
  POA: ['POA'],
  MDS: ['METHODS'],
};

/** The scopes a collection consent covers (commercial use never). */
export function scopesCovered(consent: CollectionConsent): ReadonlySet<string> {
  const codes: readonly CollectionDuoCode[] =
    consent.kind === 'broad_gru'
      ? ['GRU']
      : consent.kind === 'broad_hmb'
        ? ['HMB']
        : consent.kind === 'specific'
          ? consent.duoCodes
          : [];
  return new Set(codes.flatMap((c) => CODE_COVERS[c]));
}

/** A dataset row's collection consent. */
export function collectionConsentOfRow(row: {
  collectionConsent: string;
  collectionDuoCodes: string[];
}): CollectionConsent {
  return {
    kind: row.collectionConsent as CollectionConsentKind,
    duoCodes: row.collectionDuoCodes as CollectionDuoCode[],
  };
}

/** One sentence for participants: what they agreed to when they joined. */
export function describeCollectionConsent(consent: CollectionConsent): string {
  const words: Record<CollectionDuoCode, string> = {
    GRU: 'any research',
    HMB: 'health and medical research',
    DS: 'research on the named diseases',
    POA: 'population and ancestry research',
    MDS: 'research on methods',
  };
  switch (consent.kind) {
    case 'broad_gru':
      return 'your data may be used for any research, without asking you each time';
    case 'broad_hmb':
      return 'your data may be used for health and medical research, without asking you each time';
    case 'specific':
      return `your data may be used for ${consent.duoCodes.map((c) => words[c]).join(', ')} only, without asking you each time`;
    case 'recontact_each_use':
      return 'you are asked before each new use of your data';
  }
}
