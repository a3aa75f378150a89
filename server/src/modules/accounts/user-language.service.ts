import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { LOCALES, localeOr, type Locale } from '../../lib/locales.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { users } from './accounts.tables.js';
import { forgetCachedSessions } from './session-cache.js';

const LanguageInput = z.object({ locale: z.enum(LOCALES) });

/**
 * Records the language the signed-in person chose for the portal and for what we send them
 * (notifications, e-mails, the weekly summary). A language we do not speak is refused and
 * nothing changes; choosing the language already chosen writes nothing.
 */
export async function setMyLanguage(tx: Tx, actor: UserActor, input: unknown): Promise<Locale> {
  const { locale } = parseInput(LanguageInput, input);
  const [before] = await tx
    .select({ locale: users.locale })
    .from(users)
    .where(eq(users.id, actor.userId))
    .for('update');
  if (before?.locale === locale) return locale;
  await tx.update(users).set({ locale }).where(eq(users.id, actor.userId));
  // `me` answers the account cached with the session.
  forgetCachedSessions();
  await appendAuditEvent(tx, actor, {
    action: 'user.language.change',
    targetType: 'user',
    targetId: actor.userId,
    payload: { locale },
  });
  return locale;
}

/** The language to speak to a user in: their choice, or English when they have not made one. */
export async function languageOf(tx: Tx, userId: string): Promise<Locale> {
  const [row] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return localeOr(row?.locale);
}
