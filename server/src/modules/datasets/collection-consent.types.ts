import { builder } from '../../builder.js';
import type { COLLECTION_CONSENT_KINDS } from './collection-consent.js';
import {
  COLLECTION_DUO_CODES,
  describeCollectionConsent,
  type CollectionConsent,
} from './collection-consent.js';

export const CollectionConsentKindEnum = builder.enumType('CollectionConsentKind', {
  description: 'The consent participants gave when their data was collected.',
  values: {
    BROAD_GRU: { value: 'broad_gru', description: 'Broad: any research (DUO GRU).' },
    BROAD_HMB: {
      value: 'broad_hmb',
      description: 'Broad: health, medical or biomedical research (DUO HMB).',
    },
    SPECIFIC: { value: 'specific', description: 'Only the uses named by DUO codes.' },
    RECONTACT_EACH_USE: {
      value: 'recontact_each_use',
      description: 'Nothing beyond the collection: ask them about each use.',
    },
  } as const satisfies Record<
    string,
    { value: (typeof COLLECTION_CONSENT_KINDS)[number]; description: string }
  >,
});

export const CollectionDuoCodeEnum = builder.enumType('CollectionDuoCode', {
  description: 'A use a specific consent can name: a DUO permission, or MDS (methods research).',
  values: COLLECTION_DUO_CODES,
});

export const CollectionConsentType = builder
  .objectRef<CollectionConsent>('CollectionConsent')
  .implement({
    description:
      'The consent given at collection; it governs participants who never state their own choices.',
    fields: (t) => ({
      kind: t.field({ type: CollectionConsentKindEnum, resolve: (c) => c.kind }),
      duoCodes: t.field({ type: [CollectionDuoCodeEnum], resolve: (c) => [...c.duoCodes] }),
      summary: t.string({
        description: 'What it allows, in the participant’s words.',
        resolve: (c) => describeCollectionConsent(c),
      }),
    }),
  });

export const CollectionConsentInput = builder.inputType('CollectionConsentInput', {
  fields: (t) => ({
    kind: t.field({ type: CollectionConsentKindEnum }),
    duoCodes: t.field({
      type: [CollectionDuoCodeEnum],
      required: false,
      description: 'For SPECIFIC only, and then at least one.',
    }),
  }),
});

/** GraphQL collection-consent arguments as the services read them. */
export function collectionConsentFromArgs(
  args: { kind: string; duoCodes?: readonly string[] | null } | null | undefined,
): Record<string, unknown> | undefined {
  return args ? { kind: args.kind, duoCodes: args.duoCodes ?? [] } : undefined;
}
