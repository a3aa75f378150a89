import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { canonicalCurie } from '../genomics/phenotypes/curie.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';

/** The measurements a record holds, each with the one unit it is stored in. */
export const MEASUREMENTS = {
  height: { unit: 'cm', min: 30, max: 260 },
  weight: { unit: 'kg', min: 0.5, max: 400 },
  smoking_status: { unit: null, min: 0, max: 0 },
} as const;

/** A measurement's name. */
export type MeasurementCode = keyof typeof MEASUREMENTS;

/** The answers a smoking status may take. */
export const SMOKING_STATUSES = ['never', 'former', 'current'] as const;

/** What a condition entry says, as its author gives it. */
export interface ConditionInput {
  /** An HPO or MONDO CURIE (`HP:0001250`, `MONDO:0004992`). */
  code: string;
  /** The day it began (ISO date), if known; never in the future. */
  onset?: string | null;
  /** Private free text: only the participant reads it. */
  note?: string | null;
}

/** What a measurement entry says. */
export interface MeasurementInput {
  measurement: MeasurementCode;
  /** Height in cm or weight in kg. */
  value?: number | null;
  /** For smoking status. */
  status?: (typeof SMOKING_STATUSES)[number] | null;
  /** The day it was measured (ISO date), if known; never in the future. */
  takenOn?: string | null;
  note?: string | null;
}

/** One version's content, checked and ready to store. */
export interface EntryContent {
  code: string;
  onset: string | null;
  valueNumber: number | null;
  valueText: string | null;
  unit: string | null;
  note: string | null;
}

const today = () => new Date().toISOString().slice(0, 10);

const pastDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2019-05-01' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && d.slice(0, 4) >= '1900', {
    message: 'must be a real date after 1900',
  })
  // Compared as ISO strings in UTC: the latest day anywhere on earth is at most tomorrow.
  .refine((d) => d <= today(), { message: 'cannot be in the future' })
  .nullish();

const note = z.string().trim().max(2000, { message: 'is longer than 2,000 characters' }).nullish();

const conditionSchema = z.object({
  code: z.string().trim().min(1, { message: 'is required' }),
  onset: pastDate,
  note,
});

const measurementSchema = z
  .object({
    measurement: z.enum(['height', 'weight', 'smoking_status']),
    value: z.number().finite().nullish(),
    status: z.enum(SMOKING_STATUSES).nullish(),
    takenOn: pastDate,
    note,
  })
  .superRefine((m, ctx) => {
    if (m.measurement === 'smoking_status') {
      if (!m.status) ctx.addIssue({ code: 'custom', path: ['status'], message: 'is required' });
      return;
    }
    const range = MEASUREMENTS[m.measurement];
    if (m.value == null) ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required' });
    else if (m.value < range.min || m.value > range.max)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `must be between ${range.min} and ${range.max} ${range.unit}`,
      });
  });

/** The terms a record entry may name: current (not obsolete) HPO and MONDO terms. */
const recordableTerm = and(
  eq(ontologyTerms.obsolete, false),
  inArray(ontologyTerms.ontology, ['HP', 'MONDO']),
);

/** A term a record entry may name, as a picker offers it. */
export interface RecordTermChoice {
  id: string;
  label: string;
}

/**
 * Every term a condition entry may name, by label: exactly what `conditionContent` accepts, so
 * the portal's picker offers nothing the API would refuse. The imported ontology is public
 * knowledge (no participant data), so reading it is not audited.
 */
export async function recordTermChoices(tx: Tx): Promise<RecordTermChoice[]> {
  const rows = await tx
    .select({ id: ontologyTerms.curie, label: ontologyTerms.label })
    .from(ontologyTerms)
    .where(recordableTerm);
  // Sorted here, not by the database, so both drivers (and any collation) give one order.
  return rows.sort((a, b) => a.label.localeCompare(b.label, 'en') || a.id.localeCompare(b.id));
}

/** The known, current HPO/MONDO term a code names, or a ValidationError naming the field. */
async function knownTerm(tx: Tx, code: string): Promise<string> {
  const curie = canonicalCurie(code);
  if (!curie)
    throw new ValidationError('Invalid input: code: is not an HPO or MONDO term', [
      { field: 'code', message: 'is not an HPO or MONDO term (e.g. HP:0001250)' },
    ]);
  const [term] = await tx
    .select({ curie: ontologyTerms.curie })
    .from(ontologyTerms)
    .where(and(eq(ontologyTerms.curie, curie), recordableTerm));
  if (!term)
    throw new ValidationError('Invalid input: code: is not a known term', [
      { field: 'code', message: `${curie} is not a known, current term` },
    ]);
  return term.curie;
}

/** A condition's content, checked against the ontology; throws before anything is written. */
export async function conditionContent(tx: Tx, input: ConditionInput): Promise<EntryContent> {
  const c = parseInput(conditionSchema, input);
  return {
    code: await knownTerm(tx, c.code),
    onset: c.onset ?? null,
    valueNumber: null,
    valueText: null,
    unit: null,
    note: c.note || null,
  };
}

/** A measurement's content in its stored unit; throws before anything is written. */
export function measurementContent(input: MeasurementInput): EntryContent {
  const m = parseInput(measurementSchema, input);
  const smoking = m.measurement === 'smoking_status';
  return {
    code: m.measurement,
    onset: m.takenOn ?? null,
    valueNumber: smoking ? null : m.value!,
    valueText: smoking ? m.status! : null,
    unit: MEASUREMENTS[m.measurement].unit,
    note: m.note || null,
  };
}
