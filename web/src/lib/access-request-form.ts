/**
 * The full data access request as the portal's form shows it: one form per section, fields
 * named `<section>.<field>` (the API's field-error paths), lists of people one per line.
 */

/** A field of a section's form. */
export interface RequestField {
  name: string;
  label: string;
  kind: 'text' | 'email' | 'textarea' | 'date' | 'people' | 'staff' | 'cloud' | 'yesno';
  hint?: string;
}

/** A section of the form, keyed by the API's enum value. */
export interface RequestSection {
  key: string;
  /** The section's name in the API's saved data and field errors. */
  name: string;
  fields: RequestField[];
}

const PEOPLE_HINT = 'One per line: name; e-mail; institution.';

/** The sections, in the API's order (titles come from the API). */
export const REQUEST_SECTIONS: RequestSection[] = [
  {
    key: 'RESEARCH',
    name: 'research',
    fields: [
      {
        name: 'technicalStatement',
        label: 'Technical research statement',
        kind: 'textarea',
        hint: 'Aims, methods and why these data: at least 100 characters.',
      },
    ],
  },
  {
    key: 'INVESTIGATOR',
    name: 'investigator',
    fields: [
      { name: 'piName', label: 'Principal investigator', kind: 'text' },
      { name: 'piEmail', label: 'PI e-mail', kind: 'email' },
      { name: 'institution', label: 'Institution', kind: 'text' },
    ],
  },
  {
    key: 'COLLABORATORS',
    name: 'collaborators',
    fields: [
      {
        name: 'collaborators',
        label: 'Collaborators',
        kind: 'people',
        hint: `${PEOPLE_HINT} A collaborator with an account here is asked to confirm. Leave empty for none.`,
      },
    ],
  },
  {
    key: 'LAB_STAFF',
    name: 'labStaff',
    fields: [
      {
        name: 'internal',
        label: 'Internal lab staff',
        kind: 'staff',
        hint: 'One per line: name; e-mail.',
      },
      { name: 'external', label: 'External lab staff', kind: 'people', hint: PEOPLE_HINT },
    ],
  },
  {
    key: 'SECURITY',
    name: 'security',
    fields: [
      { name: 'approvedCloud', label: 'Approved cloud', kind: 'cloud' },
      {
        name: 'itPlan',
        label: 'IT and security plan',
        kind: 'textarea',
        hint: 'Needed when the data stay on your own systems (at least 50 characters).',
      },
    ],
  },
  {
    key: 'PUBLICATION',
    name: 'publication',
    fields: [
      { name: 'intendsToPublish', label: 'Do you intend to publish?', kind: 'yesno' },
      { name: 'plan', label: 'Publication plan', kind: 'textarea' },
    ],
  },
  {
    key: 'FUNDING',
    name: 'funding',
    fields: [
      { name: 'source', label: 'Funding source', kind: 'text' },
      { name: 'grantNumber', label: 'Grant number (optional)', kind: 'text' },
    ],
  },
  {
    key: 'IRB',
    name: 'irb',
    fields: [
      { name: 'protocolNumber', label: 'IRB protocol number', kind: 'text' },
      {
        name: 'expiresOn',
        label: 'Approval expires on',
        kind: 'date',
        hint: 'An expired approval cannot be submitted.',
      },
    ],
  },
];

/** The approved clouds the API accepts, with their labels. */
export const CLOUDS: [string, string][] = [
  ['aws', 'Amazon Web Services'],
  ['gcp', 'Google Cloud'],
  ['azure', 'Microsoft Azure'],
  ['terra', 'Terra'],
  ['anvil', 'AnVIL'],
];

function people(text: string, withInstitution: boolean): Record<string, string>[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', email = '', institution = ''] = line.split(';').map((p) => p.trim());
      const person: Record<string, string> = { name, email };
      if (withInstitution) person.institution = institution;
      return person;
    });
}

/** A section's posted form as the JSON the API validates. */
export function sectionData(section: RequestSection, form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of section.fields) {
    const raw = String(form.get(`${section.name}.${f.name}`) ?? '');
    if (f.kind === 'people') out[f.name] = people(raw, true);
    else if (f.kind === 'staff') out[f.name] = people(raw, false);
    else if (f.kind === 'cloud') out[f.name] = raw === '' ? null : raw;
    else if (f.kind === 'yesno') out[f.name] = raw === 'yes';
    else out[f.name] = raw;
  }
  return out;
}

/** A saved value as the form shows it again. */
export function fieldText(kind: RequestField['kind'], value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind === 'people' || kind === 'staff')
    return (value as Record<string, string>[])
      .map((p) => [p.name, p.email, ...(kind === 'people' ? [p.institution] : [])].join('; '))
      .join('\n');
  if (kind === 'yesno') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * The form field an API error belongs to: `collaborators.collaborators.1.email` is the
 * collaborators list's textarea.
 */
export function formField(apiField: string): string {
  return apiField.split('.').slice(0, 2).join('.');
}
