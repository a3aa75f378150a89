import { z } from 'zod';
import { DUO_MODIFIER_CODES, DUO_PERMISSION_CODES, MONDO_CURIE } from '../ontology/duo.js';
import { isRegionCode, REGION_CODES } from '../ontology/regions.js';

const distinct = <T>(items: readonly T[]) => new Set(items).size === items.length;

const name = (each: string, max: number) =>
  z
    .string({ error: `${each} must be text` })
    .trim()
    .min(1, { error: `${each} must not be empty` })
    .max(max, { error: `${each} must be at most ${max} characters` });

const valueList = (what: string, code: string, each: string, max: number, itemMax: number) =>
  z
    .array(name(each, itemMax), { error: `${what} must be a list` })
    .min(1, { error: `${what} must not be empty when ${code} is set: list at least one` })
    .max(max, { error: `at most ${max} ${what}` })
    .refine(distinct, { error: `each of the ${what} may appear once` });

/**
 * The values a dataset's modifiers carry, each on its own: TS months, the MOR date, GS region
 * codes, and the IS/US/PS lists. Whether they fit the modifiers is checked by `DataUseSchema`,
 * and whether the MOR date is still ahead by `dataUseValueIssues` (it needs today's date).
 */
export const DataUseParamsSchema = z.strictObject({
  moratoriumUntil: z.iso
    .date({ error: 'moratoriumUntil must be an ISO date (YYYY-MM-DD)' })
    .optional(),
  timeLimitMonths: z
    .number({ error: 'timeLimitMonths must be a number' })
    .int({ error: 'timeLimitMonths must be a whole number of months' })
    .min(1, { error: 'timeLimitMonths must be at least 1 month' })
    .max(600, { error: 'timeLimitMonths must be at most 600' })
    .optional(),
  regions: z
    .array(
      z
        .string({ error: 'each region must be a region code' })
        .trim()
        .toUpperCase()
        .refine(isRegionCode, {
          error: (issue) =>
            `unknown region code ${JSON.stringify(issue.input)}: use one of ${REGION_CODES.join(', ')}`,
        }),
      { error: 'regions must be a list of region codes' },
    )
    .min(1, { error: 'regions must not be empty when GS is set: list at least one' })
    .max(REGION_CODES.length)
    .refine(distinct, { error: 'each region may appear once' })
    .optional(),
  institutions: valueList('institutions', 'IS', 'each institution', 100, 200).optional(),
  users: valueList('users', 'US', 'each user id', 1000, 100).optional(),
  projects: valueList('projects', 'PS', 'each project id', 100, 100).optional(),
});

/** Validated modifier values. */
export type DataUseParamsValues = z.output<typeof DataUseParamsSchema>;

/** Which modifier each value belongs to: a value without its modifier contradicts the terms. */
export const PARAM_MODIFIER = {
  moratoriumUntil: 'MOR',
  timeLimitMonths: 'TS',
  regions: 'GS',
  institutions: 'IS',
  users: 'US',
  projects: 'PS',
} as const satisfies Record<keyof DataUseParamsValues, (typeof DUO_MODIFIER_CODES)[number]>;

/** The DUO data-use terms of a dataset: one permission, diseases for DS, modifiers and their values. */
export const DataUseSchema = z
  .object({
    permission: z.enum(DUO_PERMISSION_CODES),
    diseases: z
      .array(z.string().regex(MONDO_CURIE, { message: 'must be a MONDO CURIE like MONDO:0004992' }))
      .max(50)
      .default([]),
    modifiers: z.array(z.enum(DUO_MODIFIER_CODES)).max(DUO_MODIFIER_CODES.length).default([]),
    params: DataUseParamsSchema.default({}),
  })
  .superRefine((value, ctx) => {
    if (value.permission === 'DS' && value.diseases.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['diseases'],
        message: 'disease-specific (DS) use needs at least one disease',
      });
    }
    if (value.permission !== 'DS' && value.diseases.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['diseases'],
        message: 'diseases apply only to disease-specific (DS) use',
      });
    }
    if (new Set(value.modifiers).size !== value.modifiers.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['modifiers'],
        message: 'each modifier may appear once',
      });
    }
    if (value.modifiers.includes('NPOA') && value.permission === 'POA') {
      ctx.addIssue({
        code: 'custom',
        path: ['modifiers'],
        message: 'NPOA contradicts the POA permission',
      });
    }
    for (const [field, code] of Object.entries(PARAM_MODIFIER)) {
      if (
        value.params[field as keyof DataUseParamsValues] !== undefined &&
        !value.modifiers.includes(code)
      )
        ctx.addIssue({
          code: 'custom',
          path: ['params', field],
          message: `${field} is the value of ${code}, which is not set: add ${code} or remove the value`,
        });
    }
  });

/** Validated data-use terms. */
export type DataUse = z.output<typeof DataUseSchema>;

/**
 * Checks that need today's date, kept out of the schema so matching stays clock-free: a MOR
 * date must lie in the future when the terms are saved (a moratorium that has ended restricts
 * nothing and reads as a mistake). `today` is an ISO date.
 */
export function dataUseValueIssues(
  dataUse: DataUse,
  today: string,
): { field: string; message: string }[] {
  const until = dataUse.params.moratoriumUntil;
  if (until !== undefined && until <= today)
    return [
      {
        field: 'dataUse.params.moratoriumUntil',
        message: `the moratorium date ${until} is not in the future (today is ${today})`,
      },
    ];
  return [];
}
