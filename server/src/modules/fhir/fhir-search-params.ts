import { badParameter } from './fhir-http.js';

/** Default and largest page size of a search. */
export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;

/** A half-open time range `[from, to)`; either end may be open. */
export interface DateRange {
  from?: Date;
  to?: Date;
}

const DATE_RE =
  /^(ge|gt|le|lt|eq)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/**
 * Parses one FHIR `date` search value into a range, following R4 §3.1.1.4.2: a value stands for
 * the whole period of its precision (a day, a month…), `ge`/`gt`/`le`/`lt` compare against that
 * period and no prefix (`eq`) means within it. Dates without a time are UTC days; a time needs
 * a zone, so the same URL means the same instant everywhere.
 */
export function parseDateParam(raw: string): DateRange {
  const m = DATE_RE.exec(raw);
  if (!m) throw badParameter(`date: '${raw}' is not a FHIR date (e.g. ge2026-01-31)`);
  const [, prefix = 'eq', y, mo, d, h, mi, s, ms, zone] = m;
  const utc = (year: number, month = 0, day = 1) => new Date(Date.UTC(year, month, day));
  let lower: Date;
  let upper: Date;
  if (h !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}.${(ms ?? '0').padEnd(3, '0')}${zone}`;
    lower = new Date(iso);
    const step = ms !== undefined ? 1 : s !== undefined ? 1000 : 60_000;
    upper = new Date(lower.getTime() + step);
  } else if (d !== undefined) {
    lower = utc(Number(y), Number(mo) - 1, Number(d));
    upper = utc(Number(y), Number(mo) - 1, Number(d) + 1);
  } else if (mo !== undefined) {
    lower = utc(Number(y), Number(mo) - 1);
    upper = utc(Number(y), Number(mo));
  } else {
    lower = utc(Number(y));
    upper = utc(Number(y) + 1);
  }
  // Date.UTC rolls 2026-13-40 over into 2027; a real date reads back as written.
  const rolledOver =
    (mo !== undefined && lower.getUTCMonth() + 1 !== Number(mo) && h === undefined) ||
    (d !== undefined && h === undefined && lower.getUTCDate() !== Number(d));
  if (rolledOver || Number.isNaN(lower.getTime()) || Number.isNaN(upper.getTime()))
    throw badParameter(`date: '${raw}' is not a valid date`);
  switch (prefix) {
    case 'ge':
      return { from: lower };
    case 'gt':
      return { from: upper };
    case 'le':
      return { to: upper };
    case 'lt':
      return { to: lower };
    default:
      return { from: lower, to: upper };
  }
}

/** The intersection of several `date` parameters (FHIR ANDs repeated parameters). */
export function intersectDates(ranges: DateRange[]): DateRange {
  const out: DateRange = {};
  for (const r of ranges) {
    if (r.from && (!out.from || r.from > out.from)) out.from = r.from;
    if (r.to && (!out.to || r.to < out.to)) out.to = r.to;
  }
  return out;
}

/** `_count`: 1..MAX_COUNT, larger values are capped (as FHIR servers may), default DEFAULT_COUNT. */
export function parseCount(raw: string | null): number {
  if (raw === null) return DEFAULT_COUNT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw badParameter(`_count: '${raw}' must be a whole number from 1`);
  return Math.min(Number(raw), MAX_COUNT);
}

/** `_cursor`: the sequence number below which the next page starts (from a `next` link). */
export function parseCursor(raw: string | null): number | null {
  if (raw === null) return null;
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw badParameter(`_cursor: '${raw}' is not a valid cursor`);
  return Number(raw);
}

/**
 * Refuses parameters we do not support (strict handling, R4 §3.1.1.5.3): a search that silently
 * ignored a misspelt filter would return more participant data than was asked for.
 * `_format` is accepted for JSON only, since that is all we answer.
 */
export function assertKnownParams(params: URLSearchParams, known: readonly string[]): void {
  for (const [name, value] of params) {
    if (name === '_format') {
      if (!['json', 'application/json', 'application/fhir+json'].includes(value))
        throw badParameter(`_format: only JSON is supported`);
      continue;
    }
    if (!known.includes(name))
      throw badParameter(`Unknown search parameter '${name}'; supported: ${known.join(', ')}`);
  }
}

/** A single-valued parameter: given twice is an error rather than a guess. */
export function single(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length > 1) throw badParameter(`${name}: give it at most once`);
  return values[0] ?? null;
}
