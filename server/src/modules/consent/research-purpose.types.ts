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
    forProfitOrganisation: t.boolean({
      required: false,
      description: 'Whether the requesting organisation is for-profit (NPU/NCU).',
    }),
    genetic: t.boolean({
      required: false,
      description: 'Whether the study includes genotype data (GSO; default: true).',
    }),
    institution: t.string({ required: false, description: 'The requesting institution (IS).' }),
    userIds: t.stringList({ required: false, description: 'The named users (US).' }),
    projectId: t.string({ required: false, description: 'The project (PS).' }),
    geography: t.string({
      required: false,
      description: 'Region code where the data will be processed (GS), e.g. EU.',
    }),
    plannedPublication: t.string({
      required: false,
      description: 'ISO date of the first planned publication (MOR).',
    }),
  }),
});
