import { builder } from '../../builder.js';
import { PURPOSE_CATEGORIES, SENSITIVE_TOPICS } from './duo/match-types.js';

export const PurposeCategoryEnum = builder.enumType('PurposeCategory', {
  values: PURPOSE_CATEGORIES,
});
export const SensitiveTopicEnum = builder.enumType('SensitiveTopic', { values: SENSITIVE_TOPICS });

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
