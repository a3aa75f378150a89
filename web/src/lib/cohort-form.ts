import type { EnumOf } from './graphql/graphql';
import type { FieldErrors } from './validate';
import { formText } from './form-text';

/** An HPO or MONDO term with its label. */
export interface OntologyTerm {
  id: string;
  label: string;
}

/** Cohort criteria as the API's CohortCriteriaInput takes them. */
export interface CohortCriteria {
  datasets?: string[];
  genes?: string[];
  variants?: string[];
  regions?: string[];
  zygosity?: 'HETEROZYGOUS' | 'HOMOZYGOUS';
  phenotypes?: string[];
  diseases?: string[];
  sex?: 'female' | 'male' | 'other' | 'unknown';
  ageMin?: number;
  ageMax?: number;
}

/** The declared research purpose (ResearchPurposeInput). */
export interface ResearchPurpose {
  primary: 'GRU' | 'HMB' | 'DS' | 'POA' | 'METHODS';
  commercial: boolean;
  diseases?: string[];
}

/** What the researcher entered, to refill the form. */
export interface CohortFormValues {
  datasets: string[];
  genes: string;
  variants: string;
  regions: string;
  zygosity: string;
  terms: string[];
  termQuery: string;
  sex: string;
  ageMin: string;
  ageMax: string;
  primary: string;
  purposeDiseases: string;
  commercial: boolean;
}

export const PURPOSES = [
  { code: 'GRU', label: 'General research', plain: 'Any research question.' },
  {
    code: 'HMB',
    label: 'Health, medical or biomedical research',
    plain: 'Research on health or disease, not ancestry.',
  },
  {
    code: 'DS',
    label: 'Disease-specific research',
    plain: 'Research on the diseases you name below.',
  },
  {
    code: 'POA',
    label: 'Population origins or ancestry',
    plain: 'Research on where populations come from.',
  },
  {
    code: 'METHODS',
    label: 'Methods development',
    plain: 'Developing methods or software, e.g. new algorithms.',
  },
] as const satisfies readonly { code: EnumOf<'PurposeCategory'>; label: string; plain: string }[];

export const SEXES = [
  'female',
  'male',
  'other',
  'unknown',
] as const satisfies readonly EnumOf<'Sex'>[];
export const ZYGOSITIES = [
  { code: 'ANY', label: 'Any (carriers of one or two copies)' },
  { code: 'HETEROZYGOUS', label: 'Heterozygous (one copy)' },
  { code: 'HOMOZYGOUS', label: 'Homozygous (two copies)' },
] as const;

const CURIE = /^(HP|MONDO):\d{7}$/;
const MONDO = /^MONDO:\d{7}$/;
const VARIANT = /^(?:chr)?([0-9]{1,2}|X|Y|MT|M)-(\d{1,9})-([ACGTN]+)-([ACGTN]+)$/i;
const REGION = /^(?:chr)?([0-9]{1,2}|X|Y|MT|M):(\d{1,9})-(\d{1,9})$/i;
const GENE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Splits a list typed into one field: commas, semicolons, spaces or new lines. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Finds a term by CURIE or by its exact label (case-insensitive). */
export function findTerm(text: string, terms: OntologyTerm[]): OntologyTerm | null {
  const t = text.trim();
  if (!t) return null;
  const upper = t.toUpperCase();
  return (
    terms.find((x) => x.id === upper) ??
    terms.find((x) => x.label.toLowerCase() === t.toLowerCase()) ??
    (CURIE.test(upper) ? { id: upper, label: upper } : null)
  );
}

/** Terms whose label or CURIE contains every word of `query`, best matches first. */
export function matchTerms(query: string, terms: OntologyTerm[], limit = 8): OntologyTerm[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return terms
    .filter((t) => {
      const hay = `${t.label} ${t.id}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => {
      const q = words[0]!;
      const sa = a.label.toLowerCase().startsWith(q) ? 0 : 1;
      const sb = b.label.toLowerCase().startsWith(q) ? 0 : 1;
      return sa - sb || a.label.localeCompare(b.label);
    })
    .slice(0, limit);
}

/** Reads the cohort builder's fields. */
export function readCohortForm(form: FormData): CohortFormValues {
  return {
    datasets: form.getAll('datasets').map(String),
    genes: formText(form, 'genes'),
    variants: formText(form, 'variants'),
    regions: formText(form, 'regions'),
    zygosity: formText(form, 'zygosity') || 'ANY',
    terms: form.getAll('terms').map(String),
    termQuery: formText(form, 'termQuery'),
    sex: formText(form, 'sex'),
    ageMin: formText(form, 'ageMin'),
    ageMax: formText(form, 'ageMax'),
    primary: formText(form, 'primary') || 'GRU',
    purposeDiseases: formText(form, 'purposeDiseases'),
    commercial: form.get('commercial') === 'on',
  };
}

function age(text: string): number | null | 'bad' {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 150 ? n : 'bad';
}

/**
 * Checks the builder's fields and turns them into API criteria and purpose. `terms` resolves a
 * typed term (without JavaScript the search box itself is sent) to its CURIE.
 */
export function buildCohortQuery(
  values: CohortFormValues,
  terms: OntologyTerm[],
): { criteria: CohortCriteria; purpose: ResearchPurpose; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const criteria: CohortCriteria = {};
  if (values.datasets.length) criteria.datasets = values.datasets;

  const genes = splitList(values.genes).map((g) => g.toUpperCase());
  const badGene = genes.find((g) => !GENE.test(g));
  if (badGene) errors.genes = `“${badGene}” is not a gene symbol (e.g. BRCA1).`;
  else if (genes.length) criteria.genes = genes;

  const variants = splitList(values.variants).map((v) => v.toUpperCase());
  const badVariant = variants.find((v) => !VARIANT.test(v));
  if (badVariant)
    errors.variants = `“${badVariant}” is not CHROM-POS-REF-ALT (e.g. 17-7674220-C-T).`;
  else if (variants.length) criteria.variants = variants;

  const regions = splitList(values.regions).map((r) => r.toUpperCase());
  const badRegion = regions.find((r) => {
    const m = REGION.exec(r);
    return !m || Number(m[2]) > Number(m[3]);
  });
  if (badRegion)
    errors.regions = `“${badRegion}” is not CHROM:START-END with START ≤ END (e.g. 17:7661779-7687538).`;
  else if (regions.length) criteria.regions = regions;

  if (values.zygosity === 'HETEROZYGOUS' || values.zygosity === 'HOMOZYGOUS')
    criteria.zygosity = values.zygosity;

  const chosen = [...values.terms];
  for (const typed of values.termQuery.split(/[,;]/).filter((s) => s.trim())) {
    const found = findTerm(typed, terms);
    if (found) chosen.push(found.id);
    else errors.termQuery = `No phenotype or disease term matches “${typed.trim()}”.`;
  }
  const badTerm = chosen.find((t) => !CURIE.test(t));
  if (badTerm) errors.termQuery = `“${badTerm}” is not an HPO or MONDO term.`;
  const unique = [...new Set(chosen)];
  const phenotypes = unique.filter((t) => t.startsWith('HP:'));
  const diseases = unique.filter((t) => t.startsWith('MONDO:'));
  if (!badTerm && phenotypes.length) criteria.phenotypes = phenotypes;
  if (!badTerm && diseases.length) criteria.diseases = diseases;

  if ((SEXES as readonly string[]).includes(values.sex))
    criteria.sex = values.sex as CohortCriteria['sex'];

  const min = age(values.ageMin);
  const max = age(values.ageMax);
  if (min === 'bad') errors.ageMin = 'Enter a whole number of years from 0 to 150.';
  else if (min !== null) criteria.ageMin = min;
  if (max === 'bad') errors.ageMax = 'Enter a whole number of years from 0 to 150.';
  else if (max !== null) criteria.ageMax = max;
  if (typeof min === 'number' && typeof max === 'number' && min > max)
    errors.ageMax = 'The maximum age must not be below the minimum age.';

  const primary = (PURPOSES.find((p) => p.code === values.primary)?.code ??
    'GRU') as ResearchPurpose['primary'];
  const purpose: ResearchPurpose = { primary, commercial: values.commercial };
  if (primary === 'DS') {
    const ds = splitList(values.purposeDiseases).map((d) => d.toUpperCase());
    const bad = ds.find((d) => !MONDO.test(d));
    if (!ds.length)
      errors.purposeDiseases =
        'Name at least one disease (MONDO term) for disease-specific research.';
    else if (bad) errors.purposeDiseases = `“${bad}” is not a MONDO term like MONDO:0007254.`;
    else purpose.diseases = ds;
  }
  return { criteria, purpose, errors };
}

/** The empty builder. */
export const EMPTY_COHORT_FORM: CohortFormValues = {
  datasets: [],
  genes: '',
  variants: '',
  regions: '',
  zygosity: 'ANY',
  terms: [],
  termQuery: '',
  sex: '',
  ageMin: '',
  ageMax: '',
  primary: 'GRU',
  purposeDiseases: '',
  commercial: false,
};
