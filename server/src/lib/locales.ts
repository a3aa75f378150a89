/**
 * The languages the participant portal and participants' notifications are written in. English
 * is the base: every text exists in it, and anything missing in another language falls back to it.
 */
export const LOCALES = ['en', 'es'] as const;

/** A language the product speaks. */
export type Locale = (typeof LOCALES)[number];

/** The base language. */
export const BASE_LOCALE: Locale = 'en';

/** Whether a string names a language the product speaks. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A stored or requested language, or the base language when it is unset or unknown. */
export function localeOr(value: string | null | undefined): Locale {
  return isLocale(value) ? value : BASE_LOCALE;
}
