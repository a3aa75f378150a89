import type { EnumOf } from './graphql/graphql';
import type { FieldErrors } from './validate';

/** The kinds of consent given at collection, in the order the form offers them. */
export const COLLECTION_KINDS = [
  {
    kind: 'RECONTACT_EACH_USE',
    label: 'Re-contact for each use',
    plain: 'Participants agreed to the collection only: they are asked before each use.',
  },
  {
    kind: 'BROAD_GRU',
    label: 'Broad consent: any research (GRU)',
    plain: 'Participants agreed to any research without being asked each time.',
  },
  {
    kind: 'BROAD_HMB',
    label: 'Broad consent: health and medical research (HMB)',
    plain: 'Participants agreed to health, medical and biomedical research, not ancestry studies.',
  },
  {
    kind: 'SPECIFIC',
    label: 'Specific consent',
    plain: 'Participants agreed to the uses ticked below only.',
  },
] as const satisfies readonly {
  kind: EnumOf<'CollectionConsentKind'>;
  label: string;
  plain: string;
}[];

/** The DUO codes a specific consent can name. */
export const COLLECTION_CODES = [
  { code: 'GRU', label: 'Any research (GRU)' },
  { code: 'HMB', label: 'Health and medical research (HMB)' },
  { code: 'DS', label: 'Research on the dataset’s diseases (DS)' },
  { code: 'POA', label: 'Population origins and ancestry (POA)' },
  { code: 'MDS', label: 'Methods development (MDS)' },
] as const satisfies readonly { code: EnumOf<'CollectionDuoCode'>; label: string }[];

type Kind = (typeof COLLECTION_KINDS)[number]['kind'];
type Code = (typeof COLLECTION_CODES)[number]['code'];

/**
 * Checks the collection-consent fields the way the API will (a known kind; DUO codes for a
 * specific consent, and only for it) and answers the API input when valid.
 */
export function validateCollectionConsent(
  kind: string,
  codes: readonly string[],
): { errors: FieldErrors; input: { kind: Kind; duoCodes: Code[] } } {
  const errors: FieldErrors = {};
  if (!COLLECTION_KINDS.some((k) => k.kind === kind))
    errors.collectionConsent = 'Choose the consent the participants gave at collection.';
  const known = [...new Set(codes)].filter((c): c is Code =>
    COLLECTION_CODES.some((x) => x.code === c),
  );
  if (kind === 'SPECIFIC' && known.length === 0)
    errors.collectionCodes = 'A specific consent needs at least one use ticked.';
  if (kind !== 'SPECIFIC' && known.length > 0)
    errors.collectionCodes = 'Tick uses only for a specific consent.';
  return { errors, input: { kind: kind as Kind, duoCodes: kind === 'SPECIFIC' ? known : [] } };
}
