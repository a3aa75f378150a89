import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { Locale } from '../../lib/locales.js';
import { systemActor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { dueDigests, markDigestRound } from '../notifications/digest-subscriptions.js';
import { notify } from '../notifications/notify.js';
import { participants } from '../participants/participants.tables.js';
import { timelineSummaryOf, type TimelineSummary } from './participant-timeline.service.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The digest's text in one language: counts only, no study or person named (e-mail leaves our
 * hands).
 */
export function digestBody(s: TimelineSummary, since: Date, locale: Locale = 'en'): string {
  const day = since.toISOString().slice(0, 10);
  const lines: string[] = [];
  if (locale === 'es') {
    lines.push(
      `Desde el ${day}, otras personas usaron sus datos ${plural(s.usesByOthers, 'vez', 'veces')}.`,
    );
    if (s.studiesAsked)
      lines.push(
        `${plural(s.studiesAsked, 'estudio pidió', 'estudios pidieron')} su consentimiento.`,
      );
    if (s.studiesUsed)
      lines.push(`${plural(s.studiesUsed, 'estudio usó', 'estudios usaron')} sus datos.`);
    lines.push('Su historial muestra cada uso, quién lo hizo y la prueba en la cadena de bloques.');
    return lines.join(' ');
  }
  lines.push(
    `Since ${day}, your data was used ${plural(s.usesByOthers, 'time', 'times')} by others.`,
  );
  if (s.studiesAsked)
    lines.push(`${plural(s.studiesAsked, 'study', 'studies')} asked for your consent.`);
  if (s.studiesUsed) lines.push(`${plural(s.studiesUsed, 'study', 'studies')} used your data.`);
  lines.push('Your timeline shows each one, who did it and the proof on the chain.');
  return lines.join(' ');
}

/**
 * One round of weekly summaries: for each participant who asked for one and is due, counts what
 * others did with their data since the last round (or since they asked) and, when anything
 * happened, writes a notification that the mail worker e-mails. A quiet week sends nothing. Each
 * summary read is audited on the participant's trail. One transaction per round.
 */
export async function sendWeeklyDigests(
  db: Database,
  now = new Date(),
): Promise<{ sent: number; quiet: number }> {
  const actor = systemActor('weekly-digest');
  return db.transaction(async (tx) => {
    let sent = 0;
    let quiet = 0;
    for (const sub of await dueDigests(tx, now)) {
      const [participant] = await tx
        .select({ id: participants.id })
        .from(participants)
        .where(eq(participants.userId, sub.userId));
      const since = sub.lastSentAt ?? sub.subscribedAt;
      await markDigestRound(tx, sub.userId, now);
      if (!participant) continue;
      const summary = await timelineSummaryOf(tx, participant.id, sub.userId, since);
      if (summary.usesByOthers === 0) {
        quiet += 1;
        continue;
      }
      await notify(tx, [sub.userId], {
        kind: 'weekly_digest',
        title: { en: 'Your week on Consentome', es: 'Su semana en Consentome' },
        body: { en: digestBody(summary, since, 'en'), es: digestBody(summary, since, 'es') },
        link: '/timeline',
      });
      await appendParticipantEvent(tx, actor, 'audit.digest', participant.id, {
        since: since.toISOString(),
        usesByOthers: summary.usesByOthers,
      });
      sent += 1;
    }
    return { sent, quiet };
  });
}
