import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { insertChunked } from '../../db/insert-chunked.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { notify } from '../notifications/notify.js';
import { consentRequests } from './studies.tables.js';
import type { MemberConsent } from './study-cohort.js';

/**
 * Opens a consent request for every member whose consent says "ask" and who has none for this
 * study yet (a request once answered or closed is not opened again), audits each and notifies
 * them. Used when a study is submitted (CONSENT_REQUESTS_WHEN=before_decision), when it is
 * approved, and for people who join its cohort later (late-joiners.ts). Answers how many were
 * asked.
 */
export async function askWhoMustBeAsked(
  tx: Tx,
  actor: Actor | null,
  study: { id: string; title: string },
  members: readonly MemberConsent[],
): Promise<number> {
  const askable = members.filter((m) => m.consent === 'ask');
  if (askable.length === 0) return 0;
  const already = new Set<string>();
  for (let i = 0; i < askable.length; i += 5_000) {
    const part = askable.slice(i, i + 5_000).map((m) => m.participantId);
    for (const r of await tx
      .select({ participantId: consentRequests.participantId })
      .from(consentRequests)
      .where(
        and(eq(consentRequests.studyId, study.id), inArray(consentRequests.participantId, part)),
      ))
      already.add(r.participantId);
  }
  const toAsk = askable.filter((m) => !already.has(m.participantId));
  if (toAsk.length === 0) return 0;
  await insertChunked(
    tx,
    consentRequests,
    toAsk.map((m) => ({
      id: randomUUID(),
      studyId: study.id,
      participantId: m.participantId,
      status: 'pending',
    })),
  );
  await appendAuditEvents(
    tx,
    actor,
    toAsk.map((m) => ({
      action: 'consent_request.create',
      targetType: 'study',
      targetId: study.id,
      participantId: m.participantId,
    })),
  );
  await notify(
    tx,
    toAsk.flatMap((m) => (m.userId ? [m.userId] : [])),
    {
      kind: 'consent_request',
      title: { en: 'A study asks to use your data', es: 'Un estudio pide usar sus datos' },
      body: {
        en: `“${study.title}” asks to use your data. Read what it is about and decide.`,
        es: `«${study.title}» pide usar sus datos. Lea de qué trata y decida.`,
      },
      link: '/inbox',
    },
  );
  return toAsk.length;
}
