import { PURPOSES, findTerm, type CohortCriteria, type OntologyTerm } from './cohort-form';
import { SENSITIVE_TOPICS } from './study-labels';
import type { EnumOf } from './graphql/graphql';
import type { FieldErrors } from './validate';
import { formText } from './form-text';

/** What the researcher entered on the new-study form, to refill it. */
export interface StudyFormValues {
  title: string;
  laySummary: string;
  /** The optional Spanish lay summary ('' when none). */
  laySummaryEs: string;
  primary: string;
  purposeDiseases: string[];
  purposeDiseaseQuery: string;
  commercial: boolean;
  sensitive: string[];
  otherText: string;
  /** Facts the dataset conditions IS, US, PS, GS and MOR are checked against; all optional. */
  institution: string;
  userIds: string;
  projectId: string;
  geography: string;
  plannedPublication: string;
  collaborators: string;
  datasets: string[];
  /** The cohort builder's criteria as JSON ('' when none was carried over). */
  cohortCriteria: string;
}

/** CreateStudyInput as the API takes it. */
export interface CreateStudyInput {
  title: string;
  laySummary: string;
  laySummaryEs: string | null;
  purpose: {
    primary: EnumOf<'PurposeCategory'>;
    commercial: boolean;
    diseases?: string[];
    sensitive?: EnumOf<'SensitiveTopic'>[];
    otherText?: string;
    institution?: string;
    userIds?: string[];
    projectId?: string;
    geography?: string;
    plannedPublication?: string;
  };
  collaborators: string[];
  datasetIds: string[];
  cohortCriteria: CohortCriteria;
}

export const EMPTY_STUDY_FORM: StudyFormValues = {
  title: '',
  laySummary: '',
  laySummaryEs: '',
  primary: 'GRU',
  purposeDiseases: [],
  purposeDiseaseQuery: '',
  commercial: false,
  sensitive: [],
  otherText: '',
  institution: '',
  userIds: '',
  projectId: '',
  geography: '',
  plannedPublication: '',
  collaborators: '',
  datasets: [],
  cohortCriteria: '',
};

/** The largest IRB letter the portal forwards (the API keeps only its SHA-256). */
export const MAX_IRB_BYTES = 10 * 1024 * 1024;

const MONDO = /^MONDO:\d{7}$/;

/** Reads the new-study form. */
export function readStudyForm(form: FormData): StudyFormValues {
  return {
    title: formText(form, 'title'),
    laySummary: formText(form, 'laySummary'),
    laySummaryEs: formText(form, 'laySummaryEs'),
    primary: formText(form, 'primary') || 'GRU',
    purposeDiseases: form.getAll('purposeDiseases').map(String),
    purposeDiseaseQuery: formText(form, 'purposeDiseaseQuery'),
    commercial: form.get('commercial') === 'on',
    sensitive: form.getAll('sensitive').map(String),
    otherText: formText(form, 'otherText'),
    institution: formText(form, 'institution'),
    userIds: formText(form, 'userIds'),
    projectId: formText(form, 'projectId'),
    geography: formText(form, 'geography'),
    plannedPublication: formText(form, 'plannedPublication'),
    collaborators: formText(form, 'collaborators'),
    datasets: form.getAll('datasets').map(String),
    cohortCriteria: formText(form, 'cohortCriteria'),
  };
}

/** Parses carried-over cohort criteria; null when absent or not a JSON object. */
export function parseCriteria(json: string): CohortCriteria | null {
  if (!json.trim()) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as CohortCriteria)
      : null;
  } catch {
    return null;
  }
}

/**
 * Checks the form as the API will (title, a lay summary participants can read, diseases for
 * disease-specific research, a described "other" topic, at least one dataset) and builds the
 * input. Without a cohort from the builder the study asks for everyone in its datasets.
 * `terms` resolves a disease typed without JavaScript.
 */
export function validateStudy(
  values: StudyFormValues,
  terms: OntologyTerm[],
): { errors: FieldErrors; input: CreateStudyInput } {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (title.length < 3) errors.title = 'Give the study a title of at least 3 characters.';
  else if (title.length > 200) errors.title = 'Keep the title under 200 characters.';
  const laySummary = values.laySummary.trim();
  if (laySummary.length < 20)
    errors.laySummary = 'Write at least 20 characters: participants read this before they decide.';
  else if (laySummary.length > 2000) errors.laySummary = 'Keep the summary under 2,000 characters.';
  // The Spanish summary is optional; given, it is held to the same lengths as the English one.
  const laySummaryEs = values.laySummaryEs.trim() || null;
  if (laySummaryEs !== null && laySummaryEs.length < 20)
    errors.laySummaryEs = 'Write at least 20 characters, or leave the Spanish summary empty.';
  else if (laySummaryEs !== null && laySummaryEs.length > 2000)
    errors.laySummaryEs = 'Keep the Spanish summary under 2,000 characters.';

  const primary = PURPOSES.find((p) => p.code === values.primary)?.code ?? 'GRU';
  const purpose: CreateStudyInput['purpose'] = { primary, commercial: values.commercial };
  const diseases = [...values.purposeDiseases];
  for (const typed of values.purposeDiseaseQuery.split(/[,;]/).filter((s) => s.trim())) {
    const found = findTerm(typed, terms);
    if (found && MONDO.test(found.id)) diseases.push(found.id);
    else errors.purposeDiseases = `No disease (MONDO term) matches “${typed.trim()}”.`;
  }
  if (primary === 'DS') {
    const unique = [...new Set(diseases)];
    const bad = unique.find((d) => !MONDO.test(d));
    if (bad) errors.purposeDiseases = `“${bad}” is not a MONDO disease term.`;
    else if (!unique.length && !errors.purposeDiseases)
      errors.purposeDiseases = 'Name at least one disease for disease-specific research.';
    else purpose.diseases = unique;
  }
  const sensitive = SENSITIVE_TOPICS.map((t) => t.code).filter((c) => values.sensitive.includes(c));
  if (sensitive.length) purpose.sensitive = sensitive;
  if (sensitive.includes('OTHER')) {
    if (!values.otherText.trim()) errors.otherText = 'Describe the other sensitive topic.';
    else purpose.otherText = values.otherText.trim();
  }

  // The facts the value-carrying conditions are matched against: given, they are checked now;
  // left out, the board checks them when access is granted.
  const institution = values.institution.trim();
  if (institution.length > 200) errors.institution = 'Keep the institution under 200 characters.';
  else if (institution) purpose.institution = institution;
  const userIds = [
    ...new Set(
      values.userIds
        .split(/[,;\n]/)
        .map((u) => u.trim())
        .filter(Boolean),
    ),
  ];
  if (userIds.length > 100) errors.userIds = 'Name at most 100 users.';
  else if (userIds.length) purpose.userIds = userIds;
  const projectId = values.projectId.trim();
  if (projectId.length > 100) errors.projectId = 'Keep the project id under 100 characters.';
  else if (projectId) purpose.projectId = projectId;
  const geography = values.geography.trim();
  if (geography.length > 200) errors.geography = 'Keep the region under 200 characters.';
  else if (geography) purpose.geography = geography;
  const planned = values.plannedPublication.trim();
  if (planned && !/^\d{4}-\d{2}-\d{2}$/.test(planned)) errors.plannedPublication = 'Enter a date.';
  else if (planned) purpose.plannedPublication = planned;

  const collaborators = values.collaborators
    .split(/\n/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (collaborators.length > 50) errors.collaborators = 'List at most 50 collaborators.';
  else if (collaborators.some((c) => c.length > 200))
    errors.collaborators = 'Keep each collaborator under 200 characters.';

  const datasetIds = [...new Set(values.datasets)];
  if (!datasetIds.length) errors.datasets = 'Choose at least one dataset.';

  const carried = parseCriteria(values.cohortCriteria);
  if (values.cohortCriteria.trim() && !carried)
    errors.cohort = 'The cohort from the builder could not be read. Build it again.';
  const cohortCriteria: CohortCriteria = carried ?? { datasets: datasetIds };

  return {
    errors,
    input: { title, laySummary, laySummaryEs, purpose, collaborators, datasetIds, cohortCriteria },
  };
}

/** The form field an API field error belongs beside. */
export function studyFormField(apiField: string): string {
  if (apiField.startsWith('purpose.diseases')) return 'purposeDiseases';
  if (apiField.startsWith('purpose.otherText')) return 'otherText';
  for (const f of ['institution', 'userIds', 'projectId', 'geography', 'plannedPublication'])
    if (apiField.startsWith(`purpose.${f}`)) return f;
  if (apiField.startsWith('purpose')) return 'primary';
  if (apiField.startsWith('collaborators')) return 'collaborators';
  if (apiField.startsWith('datasetIds')) return 'datasets';
  if (apiField.startsWith('cohortCriteria')) return 'cohort';
  return apiField;
}

/** The carried-over criteria in words, so the researcher sees what the study will ask for. */
export function describeCriteria(
  criteria: CohortCriteria,
  datasetName: (id: string) => string,
  termLabel: (id: string) => string,
): string[] {
  const out: string[] = [];
  if (criteria.datasets?.length) out.push(`In ${criteria.datasets.map(datasetName).join(' or ')}`);
  if (criteria.genes?.length) out.push(`Carrying a variant in ${criteria.genes.join(', ')}`);
  if (criteria.variants?.length) out.push(`Carrying ${criteria.variants.join(', ')}`);
  if (criteria.regions?.length) out.push(`With a variant in ${criteria.regions.join(', ')}`);
  if (criteria.zygosity) out.push(`Zygosity: ${criteria.zygosity.toLowerCase()}`);
  const terms = [...(criteria.phenotypes ?? []), ...(criteria.diseases ?? [])];
  if (terms.length) out.push(`With ${terms.map((t) => `${termLabel(t)} (${t})`).join(' and ')}`);
  if (criteria.sex) out.push(`Sex: ${criteria.sex}`);
  if (criteria.ageMin !== undefined || criteria.ageMax !== undefined)
    out.push(`Aged ${criteria.ageMin ?? 0} to ${criteria.ageMax ?? 'any'}`);
  return out.length ? out : ['Everyone in the chosen datasets'];
}
