import { getLocale } from '$lib/paraglide/runtime';

/** The Intl locale for the page's language: British English dates, or Spain's Spanish. */
export function intlLocale(): string {
  return getLocale() === 'es' ? 'es-ES' : 'en-GB';
}

/** A moment in the page's language, in UTC (as the audit trail records it). */
export function utcWhen(iso: string, dateStyle: 'medium' | 'long' = 'medium'): string {
  return (
    new Date(iso).toLocaleString(intlLocale(), { dateStyle, timeStyle: 'short', timeZone: 'UTC' }) +
    ' UTC'
  );
}

/**
 * The lay summary of a study in the page's language: the Spanish one for a Spanish page when
 * the researchers wrote one, else the English one (`inEnglish` says so, to tell the reader).
 */
export function laySummaryFor(study: { laySummary: string; laySummaryEs?: string | null }): {
  text: string;
  inEnglish: boolean;
} {
  if (getLocale() === 'es' && study.laySummaryEs)
    return { text: study.laySummaryEs, inEnglish: false };
  return { text: study.laySummary, inEnglish: getLocale() !== 'en' };
}
