import { z } from 'zod';

/** The visa types this server issues (GA4GH Passport standard types). */
export const VISA_TYPES = [
  'ControlledAccessGrants',
  'AffiliationAndRole',
  'ResearcherStatus',
] as const;

/** A GA4GH standard visa type this server issues. */
export type VisaType = (typeof VISA_TYPES)[number];

/** The fixed `by` vocabulary: the level of authority within `source` that made the assertion. */
export const VISA_AUTHORITIES = ['self', 'peer', 'system', 'so', 'dac'] as const;

/** Who within the source organisation made the assertion. */
export type VisaAuthority = (typeof VISA_AUTHORITIES)[number];

/** The Registered Access publication: the `value` of a bona fide ResearcherStatus visa. */
export const REGISTERED_ACCESS_URL = 'https://doi.org/10.1038/s41431-018-0219-y';

/** One condition clause: a `type` plus at least one field compared as `const:…`, `pattern:…` … */
export type VisaConditionClause = Record<string, string>;

/** Conditions in disjunctive normal form: any inner list (all of its clauses) satisfies. */
export type VisaConditions = VisaConditionClause[][];

/** The `ga4gh_visa_v1` claim of a visa. */
export interface VisaObject {
  type: VisaType;
  /** Seconds since the epoch when the source made the assertion (not when the visa was minted). */
  asserted: number;
  value: string;
  source: string;
  by?: VisaAuthority;
  conditions?: VisaConditions;
}

// URL fields are opaque, case-sensitive identifiers of at most 255 characters (spec § URL Fields).
const urlField = z
  .string()
  .max(255, 'must be at most 255 characters')
  .refine(isHttpUrl, 'must be an absolute http(s) URL');

// eduPerson roles the spec names, or a namespaced custom role such as `nih.researcher`.
const ROLE = /^(?:faculty|student|member|[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*)$/;
const AFFILIATION = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/i;

const conditionClause = z
  .record(z.string(), z.string())
  .refine((c) => typeof c.type === 'string' && c.type.length > 0, 'a clause needs a "type"')
  .refine((c) => Object.keys(c).length > 1, 'a clause needs a field besides "type"')
  .refine(
    (c) =>
      Object.entries(c).every(
        ([field, v]) => field === 'type' || /^(?:const|pattern|split_pattern):/.test(v),
      ),
    'clause values are "const:…", "pattern:…" or "split_pattern:…"',
  );

/** Validates a `ga4gh_visa_v1` object, including the per-type rules for `value` and `by`. */
export const visaObjectSchema = z
  .object({
    type: z.enum(VISA_TYPES),
    asserted: z.number().int().nonnegative(),
    value: z.string().min(1).max(255),
    source: urlField,
    by: z.enum(VISA_AUTHORITIES).optional(),
    conditions: z.array(z.array(conditionClause).min(1)).optional(),
  })
  .superRefine((visa, ctx) => {
    const problem = typeRuleViolation(visa);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

/** Why a visa breaks the rules of its type, or null. */
function typeRuleViolation(visa: { type: VisaType; value: string; by?: VisaAuthority }) {
  switch (visa.type) {
    case 'ControlledAccessGrants':
      if (!isHttpUrl(visa.value)) return 'ControlledAccessGrants value must be a URL';
      if (!visa.by) return 'ControlledAccessGrants must say "by"';
      return null;
    case 'ResearcherStatus':
      return isHttpUrl(visa.value) ? null : 'ResearcherStatus value must be a URL';
    case 'AffiliationAndRole':
      return affiliationAndRoleProblem(visa.value);
  }
}

/**
 * Why `value` is not a valid `<role>@<affiliation>`, or null. The spec splits at the first "@";
 * the role is faculty, student, member or a namespaced custom role (`ns.role`).
 */
export function affiliationAndRoleProblem(value: string): string | null {
  const at = value.indexOf('@');
  if (at < 0) return 'AffiliationAndRole value must be <role>@<affiliation>';
  const role = value.slice(0, at);
  const affiliation = value.slice(at + 1);
  if (!ROLE.test(role))
    return `role "${role}" must be faculty, student, member or a namespaced custom role like "ns.researcher"`;
  if (!AFFILIATION.test(affiliation))
    return `affiliation "${affiliation}" must be a domain or "no.organization"`;
  return null;
}

/** True for an absolute http(s) URL: the form of issuers, sources and URL-valued visas. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}
