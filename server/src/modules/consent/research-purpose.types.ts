import { builder } from '../../builder.js';

/** The primary purpose of a study, in DUO terms (METHODS: methods development). */
export const PURPOSE_CATEGORIES = ['GRU', 'HMB', 'DS', 'POA', 'METHODS'] as const;

/** Topics that always go to human review. */
export const SENSITIVE_TOPICS = [
  'CONTROLS',
  'POPULATION',
  'GENDER',
  'PEDIATRIC',
  'VULNERABLE_POPULATIONS',
  'ILLEGAL_BEHAVIOR',
  'SEXUAL_DISEASES',
  'PSYCHOLOGICAL_TRAITS',
  'NOT_HEALTH',
  'STIGMATIZED_DISEASES',
  'OTHER',
] as const;

export const PurposeCategoryEnum = builder.enumType('PurposeCategory', {
  values: PURPOSE_CATEGORIES,
});
export const SensitiveTopicEnum = builder.enumType('SensitiveTopic', { values: SENSITIVE_TOPICS });

/** A research purpose as a study declares it. */
export interface ResearchPurposeArgs {
  primary: (typeof PURPOSE_CATEGORIES)[number];
  diseases?: string[] | null;
  commercial?: boolean | null;
  sensitive?: (typeof SENSITIVE_TOPICS)[number][] | null;
  otherText?: string | null;
}

export const ResearchPurposeInput = builder.inputType('ResearchPurposeInput', {
  fields: (t) => ({
    primary: t.field({ type: PurposeCategoryEnum }),
    diseases: t.stringList({ required: false, description: 'MONDO CURIEs (required for DS).' }),
    commercial: t.boolean({ required: false }),
    sensitive: t.field({ type: [SensitiveTopicEnum], required: false }),
    otherText: t.string({ required: false }),
  }),
});
