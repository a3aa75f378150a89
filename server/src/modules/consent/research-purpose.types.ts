import { builder } from '../../builder.js';
import {
  PURPOSE_CATEGORIES,
  SENSITIVE_TOPICS,
  type PurposeCategory,
  type SensitiveTopic,
} from './duo/match-types.js';

export const PurposeCategoryEnum = builder.enumType('PurposeCategory', {
  values: PURPOSE_CATEGORIES,
});
export const SensitiveTopicEnum = builder.enumType('SensitiveTopic', { values: SENSITIVE_TOPICS });

/** A research purpose as GraphQL delivers it (absent fields are null). */
export interface ResearchPurposeArgs {
  primary: PurposeCategory;
  diseases?: string[] | null;
  commercial?: boolean | null;
  sensitive?: SensitiveTopic[] | null;
  otherText?: string | null;
}

export const ResearchPurposeInput = builder.inputType('ResearchPurposeInput', {
  fields: (t) => ({
    primary: t.field({ type: PurposeCategoryEnum }),
    diseases: t.stringList({ required: false, description: 'MONDO CURIEs (required for DS).' }),
    commercial: t.boolean({
      required: false,
      description: 'Commercial research (default: false).',
    }),
    sensitive: t.field({ type: [SensitiveTopicEnum], required: false }),
    otherText: t.string({ required: false, description: 'Describes an OTHER sensitive topic.' }),
  }),
});

/** The GraphQL arguments as the matcher's input: nulls dropped, commercial defaulting to false. */
export function purposeFromArgs(args: ResearchPurposeArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {
    primary: args.primary,
    commercial: args.commercial ?? false,
  };
  if (args.diseases) out.diseases = args.diseases;
  if (args.sensitive) out.sensitive = args.sensitive;
  if (args.otherText) out.otherText = args.otherText;
  return out;
}
