import { and, eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { notify } from '../notifications/notify.js';
import { consentRequests, studies, studyDecisions } from './studies.tables.js';
import { memberConsents } from './study-cohort.js';
import { latestVersions } from './study-decisions.js';

/**
 * After a participant changes their standing preferences: every study they said "yes" to that
 * already received data and is still running (approved), and whose purpose their new standing
 * "no" covers, asks them whether that "no" applies to it too (precedence rule 4). Until they
 * answer, their earlier "yes" stands for that study only; their answer is a new study decision.
 * A request already pending is left as it is. Answers the ids of the studies asked about.
 * Runs in the caller's transaction, after the new preference version is written.
 */
export async function askWhetherLaterNoApplies(
  tx: Tx,
  actor: Actor | null,
  participant: { id: string; num: number; userId: string | null },
): Promise<string[]> {
  const decisions = latestVersions(
    await tx.select().from(studyDecisions).where(eq(studyDecisions.participantId, participant.id)),
    (d) => d.studyId,
  );
  const saidYes = [...decisions.values()]
    .filter((d) => d.decision === 'permit')
    .map((d) => d.studyId);
  if (saidYes.length === 0) return [];
  const running = await tx
    .select()
    .from(studies)
    .where(and(inArray(studies.id, saidYes), eq(studies.status, 'approved')));
  const asked: string[] = [];
  for (const study of running) {
    const [member] = await memberConsents(
      tx,
      {
        id: study.id,
        status: study.status,
        purpose: study.purpose as ResearchPurpose,
        match: study.match as CombinedMatchResult,
      },
      [participant.num],
    );
    if (!member?.awaitingAnswer) continue;
    const [existing] = await tx
      .select()
      .from(consentRequests)
      .where(
        and(
          eq(consentRequests.studyId, study.id),
          eq(consentRequests.participantId, participant.id),
        ),
      )
      .for('update');
    if (existing?.status === 'pending') continue;
    if (existing)
      await tx
        .update(consentRequests)
        .set({ status: 'pending', reason: 'later_no', answeredAt: null, createdAt: new Date() })
        .where(eq(consentRequests.id, existing.id));
    else
      await tx.insert(consentRequests).values({
        id: randomUUID(),
        studyId: study.id,
        participantId: participant.id,
        status: 'pending',
        reason: 'later_no',
      });
    await appendAuditEvent(tx, actor, {
      action: 'consent_request.create',
      targetType: 'study',
      targetId: study.id,
      participantId: participant.id,
      payload: { reason: 'later_no' },
    });
    if (participant.userId)
      await notify(tx, [participant.userId], {
        kind: 'consent_request',
        title: {
          en: 'Does your “no” apply to a study you joined?',
          es: '¿Su «no» vale también para un estudio en el que participa?',
        },
        body: {
          en: `You said yes to “${study.title}”, which already received data, and later said no to research of this kind. Tell us whether your “no” applies to this study too; until you answer, your earlier yes stands for this study only.`,
          es: `Usted dijo que sí a «${study.title}», que ya recibió datos, y después dijo que no a la investigación de este tipo. Díganos si su «no» vale también para este estudio; hasta que responda, su «sí» anterior sigue valiendo solo para este estudio.`,
        },
        link: '/inbox',
      });
    asked.push(study.id);
  }
  return asked;
}
