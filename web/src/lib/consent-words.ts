/**
 * Words the participant pages build from API values that the API names in English or as codes:
 * the consent given at collection (the starting point) and a representative's relationship.
 */
import type { EnumOf } from './graphql/graphql';
import { m } from './paraglide/messages';

type CollectionKind = EnumOf<'CollectionConsentKind'>;
type CollectionCode = EnumOf<'CollectionDuoCode'>;

const CODE_WORDS: Record<CollectionCode, () => string> = {
  GRU: m.collection_use_gru,
  HMB: m.collection_use_hmb,
  DS: m.collection_use_ds,
  POA: m.collection_use_poa,
  MDS: m.collection_use_mds,
};

/**
 * What a participant agreed to when their data was collected, in the page's language (the API's
 * `summary` is English only, so the sentence is built here from the kind and its DUO codes).
 */
export function collectionSummary(collection: {
  kind: CollectionKind;
  duoCodes: readonly CollectionCode[];
}): string {
  switch (collection.kind) {
    case 'BROAD_GRU':
      return m.collection_broad_gru();
    case 'BROAD_HMB':
      return m.collection_broad_hmb();
    case 'SPECIFIC':
      return m.collection_specific({
        uses: collection.duoCodes.map((c) => CODE_WORDS[c]()).join(', '),
      });
    case 'RECONTACT_EACH_USE':
      return m.collection_recontact();
  }
}

const RELATIONSHIPS: Record<string, () => string> = {
  parent: m.relationship_parent,
  guardian: m.relationship_guardian,
  other_legal: m.relationship_other_legal,
};

/** A representative's relationship to the participant ("parent"), as the page's language says it. */
export function relationshipWord(relationship: string): string {
  return RELATIONSHIPS[relationship]?.() ?? relationship;
}
