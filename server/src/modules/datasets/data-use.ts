import { z } from 'zod';
import { DUO_MODIFIER_CODES, DUO_PERMISSION_CODES, MONDO_CURIE } from '../ontology/duo.js';

/** The DUO data-use terms of a dataset: one permission, diseases for DS, any modifiers. */
export const DataUseSchema = z
  .object({
    permission: z.enum(DUO_PERMISSION_CODES),
    diseases: z
      .array(z.string().regex(MONDO_CURIE, { message: 'must be a MONDO CURIE like MONDO:0004992' }))
      .max(50)
      .default([]),
    modifiers: z.array(z.enum(DUO_MODIFIER_CODES)).max(DUO_MODIFIER_CODES.length).default([]),
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
  });

/** Validated data-use terms. */
export type DataUse = z.output<typeof DataUseSchema>;
