import { findTerm, type OntologyTerm } from './cohort-form';
import { m } from './paraglide/messages';
import type { FieldErrors } from './validate';

/** A measurement as the API's `RecordMeasurement` enum names it. */
export type MeasurementKind = 'HEIGHT' | 'WEIGHT' | 'SMOKING_STATUS';
/** A smoking status as the API's `SmokingStatus` enum names it. */
export type SmokingStatus = 'NEVER' | 'FORMER' | 'CURRENT';

/** The measurements a record holds, the API's ranges and units (checked again there). */
export const MEASUREMENT_KINDS: Record<
  MeasurementKind,
  { min: number; max: number; unit: string }
> = {
  HEIGHT: { min: 30, max: 260, unit: 'cm' },
  WEIGHT: { min: 0.5, max: 400, unit: 'kg' },
  SMOKING_STATUS: { min: 0, max: 0, unit: '' },
};
export const SMOKING_STATUSES: readonly SmokingStatus[] = ['NEVER', 'FORMER', 'CURRENT'];

/** The values of the condition form, shown again after a refusal. */
export interface ConditionValues {
  code: string;
  onset: string;
  note: string;
}

/** The values of the measurement form, shown again after a refusal. */
export interface MeasurementValues {
  measurement: string;
  value: string;
  status: string;
  takenOn: string;
  note: string;
}

/** A form's reading: the API's input when the values are fine, else the errors to show. */
export type FormReading<I, V> =
  { ok: true; input: I; values: V } | { ok: false; errors: FieldErrors; values: V };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An optional past date: its error, or null when empty or fine. */
function pastDateError(value: string, today: string): string | null {
  if (!value) return null;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return m.record_date_invalid();
  return value > today ? m.record_date_future() : null;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Reads the condition form: the picked term (`code`, from the picker) or, without JavaScript,
 * the typed code or label (`codeQuery`) matched against `terms`; an onset date; a private note
 * (`withNote`: only the participant writes one). Errors are in the page's language; the API
 * checks again (e.g. that the term exists).
 */
export function readConditionForm(
  form: FormData,
  terms: OntologyTerm[],
  withNote: boolean,
): FormReading<{ code: string; onset: string | null; note?: string | null }, ConditionValues> {
  const typed = text(form, 'codeQuery');
  const code = text(form, 'code') || (typed ? (findTerm(typed, terms)?.id ?? typed) : '');
  const values = { code, onset: text(form, 'onset'), note: withNote ? text(form, 'note') : '' };
  const errors: FieldErrors = {};
  if (!code) errors.code = m.record_term_required();
  const onsetError = pastDateError(values.onset, today());
  if (onsetError) errors.onset = onsetError;
  if (values.note.length > 2000) errors.note = m.record_note_long();
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const input = {
    code,
    onset: values.onset || null,
    ...(withNote ? { note: values.note || null } : {}),
  };
  return { ok: true, input, values };
}

const isKind = (v: string): v is MeasurementKind => v in MEASUREMENT_KINDS;
const isStatus = (v: string): v is SmokingStatus =>
  (SMOKING_STATUSES as readonly string[]).includes(v);

/** The API's measurement input. */
export interface MeasurementInput {
  measurement: MeasurementKind;
  value: number | null;
  status: SmokingStatus | null;
  takenOn: string | null;
  note?: string | null;
}

/**
 * Reads the measurement form: height or weight with a value in the API's range, or a smoking
 * status; the day it was measured; a private note (`withNote`).
 */
export function readMeasurementForm(
  form: FormData,
  withNote: boolean,
): FormReading<MeasurementInput, MeasurementValues> {
  const values = {
    measurement: text(form, 'measurement'),
    value: text(form, 'value'),
    status: text(form, 'status'),
    takenOn: text(form, 'takenOn'),
    note: withNote ? text(form, 'note') : '',
  };
  const errors: FieldErrors = {};
  const kind = values.measurement;
  let value: number | null = null;
  if (!isKind(kind)) errors.measurement = m.record_choose();
  else if (kind === 'SMOKING_STATUS') {
    if (!isStatus(values.status)) errors.status = m.record_smoking_required();
  } else {
    const range = MEASUREMENT_KINDS[kind];
    value = values.value === '' ? NaN : Number(values.value.replace(',', '.'));
    if (values.value === '') errors.value = m.record_value_required();
    else if (!Number.isFinite(value) || value < range.min || value > range.max)
      errors.value = m.record_value_range({ min: range.min, max: range.max, unit: range.unit });
  }
  const dateError = pastDateError(values.takenOn, today());
  if (dateError) errors.takenOn = dateError;
  if (values.note.length > 2000) errors.note = m.record_note_long();
  if (Object.keys(errors).length || !isKind(kind)) return { ok: false, errors, values };
  const smoking = kind === 'SMOKING_STATUS';
  return {
    ok: true,
    values,
    input: {
      measurement: kind,
      value: smoking ? null : value,
      status: smoking && isStatus(values.status) ? values.status : null,
      takenOn: values.takenOn || null,
      ...(withNote ? { note: values.note || null } : {}),
    },
  };
}
