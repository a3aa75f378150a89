import { splitList } from './cohort-form';
import type { EnumOf } from './graphql/graphql';
import type { FieldErrors } from './validate';

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
}

/** Reads the registration form. */
export function readDatasetForm(form: FormData): DatasetFormValues {
  const s = (n: string) => {
    const v = form.get(n);
    return typeof v === 'string' ? v : '';
  };
  return {
    name: s('name'),
    description: s('description'),
    permission: s('permission'),
    diseases: s('diseases'),
    modifiers: form.getAll('modifiers').map(String),
  };
}

const MONDO = /^MONDO:\d{7}$/;

/** Checks the registration form the way the API will; returns the API input when valid. */
export function validateDataset(v: DatasetFormValues): {
  errors: FieldErrors;
  input: {
    name: string;
    description: string;
    dataUse: {
      permission: (typeof PERMISSIONS)[number];
      diseases?: string[];
      modifiers: EnumOf<'DuoModifier'>[];
    };
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
      },
    },
  };
}

/** Maps the API's field names (e.g. `dataUse.diseases`) to the form's. */
export function formField(apiField: string): string {
  const last = apiField.split('.').pop() ?? apiField;
  return ['name', 'description', 'permission', 'diseases', 'modifiers'].includes(last)
    ? last
    : 'form';
}
