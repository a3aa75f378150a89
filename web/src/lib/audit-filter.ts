import { ROLES } from './roles';
import type { FieldErrors } from './validate';

/**
 * The audit explorer's filter as it travels in the page's URL. Only ids, pseudonyms, role and
 * action names and dates: an actor is chosen by account id from a list, never typed as an e-mail
 * address, so no personal data ends up in URLs, logs or browser history.
 */
export interface AuditFilterValues {
  action: string;
  group: string;
  actor: string;
  role: string;
  pseudonym: string;
  targetType: string;
  targetId: string;
  /** Start day (UTC), YYYY-MM-DD. */
  from: string;
  /** End day (UTC, inclusive), YYYY-MM-DD. */
  to: string;
  /** Chart bucket: auto, HOUR or DAY. */
  bucket: string;
}

/** The filter's URL parameter names, in the order the form shows them. */
export const FILTER_KEYS = [
  'action',
  'group',
  'actor',
  'role',
  'pseudonym',
  'targetType',
  'targetId',
  'from',
  'to',
  'bucket',
] as const satisfies readonly (keyof AuditFilterValues)[];

/** Roles an event can be recorded under: the account roles, the platform and nobody. */
export const ACTOR_ROLES = [...ROLES, 'system', 'anonymous'] as const;

/** The filter as the API's AuditFilter input takes it. */
export interface ApiAuditFilter {
  action?: string;
  actionGroup?: string;
  actorId?: string;
  actorRole?: string;
  participantPseudonym?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

/** Reads the filter from a URL's query or a submitted form; absent fields are empty. */
export function readAuditFilter(source: URLSearchParams | FormData): AuditFilterValues {
  const get = (k: string) => {
    const v = source.get(k);
    return typeof v === 'string' ? v.trim() : '';
  };
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, get(k)])) as unknown as AuditFilterValues;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PSEUDONYM = /^[A-Za-z0-9._-]{1,64}$/;
const GROUP = /^[a-z_]{1,50}$/;
const MS_PER_DAY = 86_400_000;

function dayStart(day: string): Date | null {
  if (!DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? null : date;
}

/**
 * Checks the filter the way the API will, and turns it into the API's input plus the chart's
 * bucket. Days are UTC days; the end day is included.
 */
export function validateAuditFilter(v: AuditFilterValues): {
  errors: FieldErrors;
  filter: ApiAuditFilter;
  bucket: 'HOUR' | 'DAY';
} {
  const errors: FieldErrors = {};
  const filter: ApiAuditFilter = {};
  if (v.action) {
    if (v.action.length > 100) errors.action = 'Choose an action from the list.';
    else filter.action = v.action;
  }
  if (v.group) {
    if (!GROUP.test(v.group)) errors.group = 'Choose an action group from the list.';
    else filter.actionGroup = v.group;
  }
  if (v.actor) {
    if (!UUID.test(v.actor)) errors.actor = 'Choose a person from the list.';
    else filter.actorId = v.actor;
  }
  if (v.role) {
    if (!(ACTOR_ROLES as readonly string[]).includes(v.role))
      errors.role = 'Choose a role from the list.';
    else filter.actorRole = v.role;
  }
  if (v.pseudonym) {
    if (!PSEUDONYM.test(v.pseudonym))
      errors.pseudonym = 'Enter a pseudonym like P-4KQ7M2XW (letters, digits, dots, dashes).';
    else filter.participantPseudonym = v.pseudonym;
  }
  if (v.targetType) {
    if (v.targetType.length > 50) errors.targetType = 'Choose a target type from the list.';
    else filter.targetType = v.targetType;
  }
  if (v.targetId) {
    if (v.targetId.length > 200) errors.targetId = 'Keep the target id to 200 characters.';
    else filter.targetId = v.targetId;
  }
  const from = v.from ? dayStart(v.from) : null;
  const to = v.to ? dayStart(v.to) : null;
  if (v.from && !from) errors.from = 'Enter a date as YYYY-MM-DD.';
  if (v.to && !to) errors.to = 'Enter a date as YYYY-MM-DD.';
  if (from && to && from > to) errors.from = 'The start must not be after the end.';
  if (from && !errors.from) filter.from = from.toISOString();
  if (to && !errors.to) filter.to = new Date(to.getTime() + MS_PER_DAY - 1).toISOString();
  if (v.bucket && !['auto', 'HOUR', 'DAY'].includes(v.bucket))
    errors.bucket = 'Choose hours or days.';
  if (from && to && v.bucket === 'HOUR' && (to.getTime() - from.getTime()) / MS_PER_DAY > 40)
    errors.bucket = 'Hours work for ranges up to 40 days; choose days.';
  // Automatic: hours when the range is a few days at most, otherwise days.
  const bucket =
    v.bucket === 'HOUR' || v.bucket === 'DAY'
      ? v.bucket
      : from && to && to.getTime() - from.getTime() <= 2 * MS_PER_DAY
        ? 'HOUR'
        : 'DAY';
  return { errors, filter, bucket };
}

/** The filter as a query string (non-empty values only), with any extra parameters. */
export function auditFilterQuery(
  v: AuditFilterValues,
  extra: Record<string, string | number> = {},
): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS)
    if (v[k] && !(k === 'bucket' && v[k] === 'auto')) params.set(k, v[k]);
  for (const [k, value] of Object.entries(extra)) params.set(k, String(value));
  const query = params.toString();
  return query ? `?${query}` : '';
}
