import { splitList } from './cohort-form';
import { validateCollectionConsent } from './collection-consent-form';
import type { EnumOf } from './graphql/graphql';
import type { FieldErrors } from './validate';
import { formText } from './form-text';

/** DUO permissions a dataset can carry (exactly one). */
export const PERMISSIONS = [
  'NRES',
  'GRU',
  'HMB',
  'DS',
  'POA',
] as const satisfies readonly EnumOf<'DuoPermission'>[];

/** A DUO term as the API describes it. */
export interface DuoTermInfo {
  code: string;
  id: string;
  label: string;
  plain: string;
}

/** What a steward entered in the registration form. */
export interface DatasetFormValues {
  name: string;
  description: string;
  permission: string;
  diseases: string;
  modifiers: string[];
  /** TS: months, as typed. */
  timeLimitMonths: string;
  /** MOR: an ISO date from the date picker. */
  moratoriumUntil: string;
  /** GS, IS, US, PS: comma-separated lists as typed. */
  regions: string;
  institutions: string;
  users: string;
  projects: string;
  /** The consent given at collection (a CollectionConsentKind) and, if specific, its DUO codes. */
  collectionConsent: string;
  collectionCodes: string[];
}

/** The value fields, the modifier each belongs to, and how the form names it. */
export const VALUE_FIELDS = [
  { field: 'timeLimitMonths', code: 'TS', label: 'Time limit in months (TS)' },
  { field: 'moratoriumUntil', code: 'MOR', label: 'No publication before (MOR)' },
  { field: 'regions', code: 'GS', label: 'Allowed regions (GS)' },
  { field: 'institutions', code: 'IS', label: 'Approved institutions (IS)' },
  { field: 'users', code: 'US', label: 'Approved user ids (US)' },
  { field: 'projects', code: 'PS', label: 'Approved project ids (PS)' },
] as const;

type ValueField = (typeof VALUE_FIELDS)[number]['field'];

/** The modifiers' values as the API takes them. */
export interface DataUseParamsInput {
  timeLimitMonths?: number;
  moratoriumUntil?: string;
  regions?: string[];
  institutions?: string[];
  users?: string[];
  projects?: string[];
}

/** Reads the registration form. */
export function readDatasetForm(form: FormData): DatasetFormValues {
  const s = (n: string) => formText(form, n);
  return {
    name: s('name'),
    description: s('description'),
    permission: s('permission'),
    diseases: s('diseases'),
    modifiers: form.getAll('modifiers').map(String),
    timeLimitMonths: s('timeLimitMonths'),
    moratoriumUntil: s('moratoriumUntil'),
    regions: s('regions'),
    institutions: s('institutions'),
    users: s('users'),
    projects: s('projects'),
    collectionConsent: s('collectionConsent'),
    collectionCodes: form.getAll('collectionCodes').map(String),
  };
}

/**
 * Checks the modifier values as the API will: a value only with its modifier ticked, TS a whole
 * number of months ≥ 1, MOR a date after `today`, GS known region codes. An empty field leaves
 * the value to the ethics board. Answers the errors and the values to send.
 */
export function validateDataUseValues(
  v: DatasetFormValues,
  regionCodes: readonly string[] | null,
  today: string,
): { errors: FieldErrors; params: DataUseParamsInput } {
  const errors: FieldErrors = {};
  const params: DataUseParamsInput = {};
  for (const { field, code } of VALUE_FIELDS) {
    if (v[field].trim() !== '' && !v.modifiers.includes(code))
      errors[field] = `Tick ${code} to set this value, or clear the field.`;
  }
  const months = v.timeLimitMonths.trim();
  if (months !== '' && !errors.timeLimitMonths) {
    const n = Number(months);
    if (!Number.isInteger(n) || n < 1)
      errors.timeLimitMonths = 'Enter a whole number of months, at least 1.';
    else if (n > 600) errors.timeLimitMonths = 'Enter at most 600 months.';
    else params.timeLimitMonths = n;
  }
  const until = v.moratoriumUntil.trim();
  if (until !== '' && !errors.moratoriumUntil) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) errors.moratoriumUntil = 'Enter a date.';
    else if (until <= today) errors.moratoriumUntil = 'The moratorium must end after today.';
    else params.moratoriumUntil = until;
  }
  const regions = splitList(v.regions).map((r) => r.toUpperCase());
  if (regions.length > 0 && !errors.regions) {
    // Without the list (a form action), the API checks the codes and names the bad one.
    const unknown = regionCodes ? regions.filter((r) => !regionCodes.includes(r)) : [];
    if (regionCodes && unknown.length > 0)
      errors.regions = `Unknown region code ${unknown.join(', ')}: use ${regionCodes.join(', ')}.`;
    else params.regions = [...new Set(regions)];
  }
  for (const field of ['institutions', 'users', 'projects'] as const satisfies ValueField[]) {
    // Names may contain spaces ("Uni A"): only commas, semicolons and line breaks separate.
    const items = v[field]
      .split(/[,;\n]/)
      .map((x) => x.trim())
      .filter(Boolean);
    if (items.length > 0 && !errors[field]) params[field] = [...new Set(items)];
  }
  return { errors, params };
}

const MONDO = /^MONDO:\d{7}$/;

/**
 * Checks the registration form the way the API will; returns the API input when valid.
 * `regionCodes` are the GS codes the API accepts (null: leave that check to the API).
 */
export function validateDataset(
  v: DatasetFormValues,
  regionCodes: readonly string[] | null,
  today: string = new Date().toISOString().slice(0, 10),
): {
  errors: FieldErrors;
  input: {
    name: string;
    description: string;
    dataUse: {
      permission: (typeof PERMISSIONS)[number];
      diseases?: string[];
      modifiers: EnumOf<'DuoModifier'>[];
      params: DataUseParamsInput;
    };
    collectionConsent: ReturnType<typeof validateCollectionConsent>['input'];
  };
} {
  const errors: FieldErrors = {};
  const name = v.name.trim();
  if (name.length < 3) errors.name = 'Enter a name of at least 3 characters.';
  else if (name.length > 120) errors.name = 'Keep the name to 120 characters or fewer.';
  if (v.description.trim().length > 5000)
    errors.description = 'Keep the description to 5,000 characters or fewer.';
  if (!(PERMISSIONS as readonly string[]).includes(v.permission))
    errors.permission = 'Choose what the data may be used for.';
  const diseases = splitList(v.diseases).map((d) => d.toUpperCase());
  const bad = diseases.find((d) => !MONDO.test(d));
  if (bad) errors.diseases = `“${bad}” is not a MONDO code like MONDO:0007254.`;
  else if (v.permission === 'DS' && diseases.length === 0)
    errors.diseases = 'Disease-specific use needs at least one disease.';
  else if (v.permission !== 'DS' && diseases.length > 0)
    errors.diseases = 'Diseases apply only to disease-specific (DS) use.';
  if (v.permission === 'POA' && v.modifiers.includes('NPOA'))
    errors.modifiers = 'NPOA (no ancestry research) contradicts the POA permission.';
  const values = validateDataUseValues(v, regionCodes, today);
  Object.assign(errors, values.errors);
  const collection = validateCollectionConsent(v.collectionConsent, v.collectionCodes);
  Object.assign(errors, collection.errors);
  return {
    errors,
    input: {
      name,
      description: v.description.trim(),
      dataUse: {
        // Sent only when `errors` is empty, that is when the permission was checked above.
        permission: v.permission as (typeof PERMISSIONS)[number],
        ...(v.permission === 'DS' ? { diseases } : {}),
        // The boxes offer the API's own DUO modifiers; it refuses any other code itself.
        modifiers: [...new Set(v.modifiers)] as EnumOf<'DuoModifier'>[],
        params: values.params,
      },
      collectionConsent: collection.input,
    },
  };
}

/** Maps the API's field names (e.g. `dataUse.diseases`) to the form's. */
export function formField(apiField: string): string {
  const parts = apiField.split('.');
  // `dataUse.params.regions.1` names the regions field.
  const value = VALUE_FIELDS.find((f) => parts.includes(f.field));
  if (value) return value.field;
  if (parts[0] === 'collectionConsent')
    return parts[1] === 'duoCodes' ? 'collectionCodes' : 'collectionConsent';
  const last = parts.pop() ?? apiField;
  return ['name', 'description', 'permission', 'diseases', 'modifiers'].includes(last)
    ? last
    : 'form';
}
