import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { localeOr, type Locale } from '../../lib/locales.js';
import { users } from '../accounts/accounts.tables.js';

/**
 * A text in every language the product speaks. Messages to participants are written this way, so
 * each person reads theirs in the language they chose; staff messages may stay plain English.
 */
export type LocalizedText = string | Readonly<Record<Locale, string>>;

/** The text in `locale` (a plain string is the same in every language). */
export function textIn(text: LocalizedText, locale: Locale): string {
  return typeof text === 'string' ? text : text[locale];
}

/**
 * Each user's chosen language (English when they chose none), read in slices well under
 * PostgreSQL's bind-parameter limit, since a consent request can go to a whole cohort.
 */
export async function recipientLanguages(
  tx: Tx,
  userIds: readonly string[],
  size = 5_000,
): Promise<Map<string, Locale>> {
  const languages = new Map<string, Locale>();
  for (let i = 0; i < userIds.length; i += size) {
    const rows = await tx
      .select({ id: users.id, locale: users.locale })
      .from(users)
      .where(inArray(users.id, userIds.slice(i, i + size)));
    for (const row of rows) languages.set(row.id, localeOr(row.locale));
  }
  return languages;
}
