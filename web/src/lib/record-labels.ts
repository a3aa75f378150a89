import type { EnumOf } from './graphql/graphql';
import type { RecordEntry } from './graphql/fragments';
import { intlLocale } from './locale-format';
import { m } from './paraglide/messages';

/** Who reads the record: the participant themselves, or a clinician they authorised. */
export type RecordReader = 'participant' | 'clinician';

/**
 * Where an entry came from, in the reader's words. A source the API adds fails the typecheck
 * until it is named here.
 */
const SOURCES = {
  SELF_REPORT: (_e, reader) =>
    reader === 'participant' ? m.record_source_self() : m.record_source_self_patient(),
  CLINICIAN: (e) =>
    m.record_source_clinician({
      name: e.authorName ?? '—',
      institution: e.authorInstitution ?? '—',
    }),
  STEWARD_INGEST: () => m.record_source_steward(),
} satisfies Record<EnumOf<'RecordSource'>, (e: RecordEntry, reader: RecordReader) => string>;

/** The entry's source, e.g. "Added by Dr Ana Ruiz, Demo Hospital". */
export function sourceLabel(entry: RecordEntry, reader: RecordReader): string {
  return SOURCES[entry.source](entry, reader);
}

const MEASUREMENT_NAMES: Record<string, () => string> = {
  height: m.record_height,
  weight: m.record_weight,
  smoking_status: m.record_smoking,
};

const SMOKING_NAMES: Record<string, () => string> = {
  never: m.record_smoking_never,
  former: m.record_smoking_former,
  current: m.record_smoking_current,
};

/** What an entry is about: the term's label, or the measurement's name. */
export function entryTitle(entry: RecordEntry): string {
  if (entry.kind === 'CONDITION') return entry.label ?? entry.code;
  return MEASUREMENT_NAMES[entry.code]?.() ?? entry.code;
}

/** A measurement's value in the page's language: "178 cm", "Never smoked". */
export function measurementValue(entry: RecordEntry): string {
  if (entry.valueText) return SMOKING_NAMES[entry.valueText]?.() ?? entry.valueText;
  if (entry.value === null) return '—';
  const number = entry.value.toLocaleString(intlLocale(), { maximumFractionDigits: 1 });
  return entry.unit ? `${number} ${entry.unit}` : number;
}

/** An ISO date or moment as a day in the page's language (UTC, as the API stores it). */
export function recordDay(iso: string): string {
  const date = iso.length === 10 ? new Date(`${iso}T00:00:00Z`) : new Date(iso);
  return date.toLocaleDateString(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' });
}

/**
 * The last day an authorisation covers: it ends at midnight (UTC) after the day the participant
 * chose, so the day before its end.
 */
export function lastDayOf(endsAt: string): string {
  return new Date(Date.parse(endsAt) - 1).toISOString().slice(0, 10);
}
