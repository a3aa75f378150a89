import { z } from 'zod';
import { idSchema } from '../../lib/validators.js';
import { CohortCriteriaSchema } from '../cohorts/cohort-criteria.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';

const title = z.string().trim().min(3, { message: 'needs at least 3 characters' }).max(200);
const laySummary = z
  .string()
  .trim()
  .min(20, { message: 'needs at least 20 characters: participants read it before deciding' })
  .max(2_000);
/** The optional Spanish lay summary: as strict as the English one, and empty means none. */
const laySummaryEs = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  laySummary.nullish(),
);
const collaborators = z.array(z.string().trim().min(1).max(200)).max(50);
const datasetIds = z
  .array(idSchema)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'lists a dataset twice' });

/** A new study: what it is for and, optionally already, the cohort and datasets it asks for. */
export const CreateStudySchema = z.strictObject({
  title,
  laySummary,
  laySummaryEs,
  purpose: ResearchPurposeSchema,
  collaborators: collaborators.default([]),
  cohortCriteria: CohortCriteriaSchema.nullish(),
  datasetIds: datasetIds.default([]),
});

/** Changes to a draft; absent fields stay as they are. */
export const UpdateStudySchema = z.strictObject({
  title: title.optional(),
  laySummary: laySummary.optional(),
  laySummaryEs,
  purpose: ResearchPurposeSchema.optional(),
  collaborators: collaborators.optional(),
  cohortCriteria: CohortCriteriaSchema.nullish(),
  datasetIds: datasetIds.optional(),
});

/** A vote of an ethics board member. */
export const VoteSchema = z
  .strictObject({
    studyId: idSchema,
    /** The committee the vote is for; needed only when the member sits on several deciding it. */
    dacId: idSchema.nullish(),
    vote: z.enum(['approve', 'reject']),
    rationale: z.string().trim().max(4_000).default(''),
    conditions: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
    overrideReason: z.string().trim().max(2_000).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.vote === 'reject' && v.rationale.length < 10)
      ctx.addIssue({
        code: 'custom',
        path: ['rationale'],
        message: 'a rejection needs a reason (at least 10 characters)',
      });
    if (v.vote === 'approve' && v.rationale.length === 0)
      ctx.addIssue({ code: 'custom', path: ['rationale'], message: 'is required' });
  });
