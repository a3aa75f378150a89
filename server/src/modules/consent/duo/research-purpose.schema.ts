import { z } from 'zod';
import { MONDO_CURIE } from '../../ontology/duo.js';
import type { DataUseParamsSchema } from '../../datasets/data-use.js';
import {
  PURPOSE_CATEGORIES,
  SENSITIVE_TOPICS,
  type DataUseParams,
  type ResearchPurpose,
} from './match-types.js';

/** Limits on free text and lists, so one request cannot bloat storage or reviewers' screens. */
export const PURPOSE_LIMITS = {
  diseases: 50,
  otherText: 1000,
  name: 200,
  userIds: 100,
  id: 100,
} as const;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` });

const mondoCurie = z
  .string({ error: 'each disease must be a MONDO CURIE' })
  .regex(MONDO_CURIE, { error: 'each disease must be a MONDO CURIE like MONDO:0004992' });

const distinct = <T>(items: readonly T[]) => new Set(items).size === items.length;

/** Server-side validation of a research purpose; its output is a `ResearchPurpose`. */
export const ResearchPurposeSchema = z
  .strictObject({
    primary: z.enum(PURPOSE_CATEGORIES, {
      error: `primary must be one of ${PURPOSE_CATEGORIES.join(', ')}`,
    }),
    diseases: z
      .array(mondoCurie, { error: 'diseases must be a list of MONDO CURIEs' })
      .max(PURPOSE_LIMITS.diseases, {
        error: `at most ${PURPOSE_LIMITS.diseases} diseases`,
      })
      .refine(distinct, { error: 'each disease may appear once' })
      .default([]),
    commercial: z.boolean({
      error: (issue) =>
        issue.input === undefined
          ? 'commercial is required: say whether the research is commercial'
          : 'commercial must be true or false',
    }),
    sensitive: z
      .array(
        z.enum(SENSITIVE_TOPICS, {
          error: `each sensitive topic must be one of ${SENSITIVE_TOPICS.join(', ')}`,
        }),
      )
      .max(SENSITIVE_TOPICS.length)
      .refine(distinct, { error: 'each sensitive topic may appear once' })
      .default([]),
    otherText: text('otherText', PURPOSE_LIMITS.otherText).optional(),
    genetic: z.boolean({ error: 'genetic must be true or false' }).default(true),
    forProfitOrganisation: z
      .boolean({ error: 'forProfitOrganisation must be true or false' })
      .optional(),
    institution: text('institution', PURPOSE_LIMITS.name).optional(),
    userIds: z
      .array(text('each user id', PURPOSE_LIMITS.id))
      .min(1, { error: 'userIds must not be empty when given' })
      .max(PURPOSE_LIMITS.userIds, { error: `at most ${PURPOSE_LIMITS.userIds} user ids` })
      .refine(distinct, { error: 'each user id may appear once' })
      .optional(),
    projectId: text('projectId', PURPOSE_LIMITS.id).optional(),
    geography: text('geography', PURPOSE_LIMITS.name).optional(),
    plannedPublication: z.iso
      .date({ error: 'plannedPublication must be an ISO date (YYYY-MM-DD)' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.primary === 'DS' && value.diseases.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['diseases'],
        message: 'disease-specific (DS) research needs at least one disease',
      });
    }
    if (value.primary !== 'DS' && value.primary !== 'METHODS' && value.diseases.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['diseases'],
        message: 'diseases apply only to disease-specific (DS) or methods (METHODS) research',
      });
    }
    const other = value.sensitive.includes('OTHER');
    if (other && value.otherText === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['otherText'],
        message: 'otherText is required when sensitive includes OTHER',
      });
    }
    if (!other && value.otherText !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['otherText'],
        message: 'otherText describes the OTHER sensitive topic: add OTHER or remove otherText',
      });
    }
  });

// Compile-time guarantees that validated input feeds the matcher without conversion.
const _purposeFits = (p: z.output<typeof ResearchPurposeSchema>): ResearchPurpose => p;
const _paramsFit = (p: z.output<typeof DataUseParamsSchema>): DataUseParams => p;
