import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../audit/audit.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import {
  consentRequests,
  studies,
  studyDecisions,
  type ConsentRequestReason,
} from './studies.tables.js';
import { latestVersions, recordStudyDecision } from './study-decisions.js';
import type { ConsentSigning } from '../passkeys/signed-consent.js';

/** What a participant is told about a study: its lay side only. */
export interface LayStudyView {
  id: string;
  title: string;
  laySummary: string;
  /** The Spanish lay summary, or null (the portal falls back to the English one). */
  laySummaryEs: string | null;
  purpose: unknown;
  status: string;
}

/** The lay side of a study row: all a participant is told about it. */
export function layStudyOf(study: typeof studies.$inferSelect): LayStudyView {
  return {
    id: study.id,
    title: study.title,
    laySummary: study.laySummary,
    laySummaryEs: study.laySummaryEs,
    purpose: study.purpose,
    status: study.status,
  };
}

/** A consent request as its participant sees it: the study's lay side only. */
export interface ConsentRequestView {
  id: string;
  status: string;
  /** Why they are asked: their consent said "ask", or a later standing "no" (precedence rule 4). */
  reason: ConsentRequestReason;
  createdAt: Date;
  answeredAt: Date | null;
  study: LayStudyView;
  /** The participant's latest answer, if any. */
  decision: 'permit' | 'deny' | null;
}

/** The signed-in participant's consent requests, newest first. The read is audited. */
export async function myConsentRequests(
  tx: Tx,
  actor: Actor | null,
): Promise<ConsentRequestView[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const rows = await tx
    .select({ request: consentRequests, study: studies })
    .from(consentRequests)
    .innerJoin(studies, eq(studies.id, consentRequests.studyId))
    .where(eq(consentRequests.participantId, participant.id))
    .orderBy(desc(consentRequests.createdAt));
  const decisions = await tx
    .select()
    .from(studyDecisions)
    .where(eq(studyDecisions.participantId, participant.id));
  const latest = latestVersions(decisions, (d) => d.studyId);
  await appendParticipantEvent(tx, actor, 'consent_request.list', participant.id);
  return rows.map(({ request, study }) => ({
    id: request.id,
    status: request.status,
    reason: request.reason as ConsentRequestReason,
    createdAt: request.createdAt,
    answeredAt: request.answeredAt,
    study: layStudyOf(study),
    decision: (latest.get(study.id)?.decision as 'permit' | 'deny' | undefined) ?? null,
  }));
}

const AnswerSchema = z.strictObject({
  requestId: idSchema,
  decision: z.enum(['permit', 'deny']),
});

const ANSWERABLE_STUDY = ['submitted', 'under_review', 'approved'];

/**
 * The participant answers a request (or changes an earlier answer while the study runs): a new
 * versioned study decision, on chain through the outbox, audited, and visible to the study's
 * cohort at once. Someone else's request answers "not found". The participation module's use
 * case calls this and then tells grantees when the answer is no.
 */
export async function answerConsentRequest(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  signing?: ConsentSigning,
): Promise<{ request: ConsentRequestView; participantId: string }> {
  const data = parseInput(AnswerSchema, input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const [row] = await tx
    .select({ request: consentRequests, study: studies })
    .from(consentRequests)
    .innerJoin(studies, eq(studies.id, consentRequests.studyId))
    .where(
      and(
        eq(consentRequests.id, data.requestId),
        eq(consentRequests.participantId, participant.id),
      ),
    )
    .for('update', { of: consentRequests });
  if (!row) throw new NotFoundError('Consent request');
  if (participant.status === 'withdrawn')
    throw new ConflictError('You have withdrawn; nothing can be shared any more');
  if (row.request.status === 'closed' || !ANSWERABLE_STUDY.includes(row.study.status))
    throw new ConflictError('This study has ended; there is nothing left to decide');
  const { version, signedWith } = await recordStudyDecision(
    tx,
    participant,
    row.study.id,
    data.decision,
    signing,
  );
  const answeredAt = new Date();
  await tx
    .update(consentRequests)
    .set({ status: 'answered', answeredAt })
    .where(eq(consentRequests.id, row.request.id));
  await appendAuditEvent(tx, actor, {
    action: 'consent_request.answer',
    targetType: 'study',
    targetId: row.study.id,
    participantId: participant.id,
    payload: { decision: data.decision, reason: row.request.reason, version, signedWith },
  });
  const request: ConsentRequestView = {
    id: row.request.id,
    status: 'answered',
    reason: row.request.reason as ConsentRequestReason,
    createdAt: row.request.createdAt,
    answeredAt,
    study: {
      id: row.study.id,
      title: row.study.title,
      laySummary: row.study.laySummary,
      laySummaryEs: row.study.laySummaryEs,
      purpose: row.study.purpose,
      status: row.study.status,
    },
    decision: data.decision,
  };
  return { request, participantId: participant.id };
}

/** Closes a participant's unanswered study requests (they withdrew). */
export async function closeParticipantRequests(tx: Tx, participantId: string): Promise<void> {
  await tx
    .update(consentRequests)
    .set({ status: 'closed' })
    .where(
      and(eq(consentRequests.participantId, participantId), eq(consentRequests.status, 'pending')),
    );
}
