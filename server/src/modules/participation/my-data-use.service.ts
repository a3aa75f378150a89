import { and, asc, eq, inArray } from 'drizzle-orm';
import { languageOf } from '../accounts/user-language.service.js';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { withProofs, type TimelineEvent } from '../audit-explorer/participant-timeline.service.js';
import { dataExports, exportMembers, grantMembers, grants } from '../grants/grants.tables.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { consentRequests, studies, studyDecisions } from '../studies/studies.tables.js';
import { latestVersions } from '../studies/study-decisions.js';
import { layStudyOf, type LayStudyView } from '../studies/consent-requests.service.js';

/** One study that requested or used the participant's data, told to the participant. */
export interface DataUseEntry {
  study: LayStudyView & {
    submittedAt: Date | null;
    decidedAt: Date | null;
    /** The board's rationale for its decision, once decided. */
    decisionRationale: string | null;
  };
  /** Whether the participant was asked, and their latest answer. */
  requestStatus: string | null;
  decision: 'permit' | 'deny' | null;
  /** Whether they were in the cohort the grant was issued for. */
  inGrant: boolean;
  grantExpiresAt: Date | null;
  exports: { id: string; createdAt: Date; sampleId: string }[];
  /** The audit events of this study about the participant, each with its chain proof. */
  events: TimelineEvent[];
}

/**
 * Every study that requested or used the signed-in participant's data: purpose, the board's
 * decision and rationale, dates, the exports that included them (under which sample id), and
 * the audit events with inclusion proofs and chain receipts. The read is audited.
 */
export async function myDataUse(tx: Tx, actor: Actor | null): Promise<DataUseEntry[]> {
  const me = await signedInParticipant(tx, actor, { lock: false });
  const requests = await tx
    .select()
    .from(consentRequests)
    .where(eq(consentRequests.participantId, me.id));
  const decisions = await tx
    .select()
    .from(studyDecisions)
    .where(eq(studyDecisions.participantId, me.id));
  const inGrants = await tx
    .select({ studyId: grants.studyId, expiresAt: grants.expiresAt })
    .from(grantMembers)
    .innerJoin(grants, eq(grants.id, grantMembers.grantId))
    .where(eq(grantMembers.participantId, me.id));
  const exported = await tx
    .select({
      studyId: grants.studyId,
      id: dataExports.id,
      createdAt: dataExports.createdAt,
      sampleId: exportMembers.sampleId,
    })
    .from(exportMembers)
    .innerJoin(dataExports, eq(dataExports.id, exportMembers.exportId))
    .innerJoin(grants, eq(grants.id, dataExports.grantId))
    .where(eq(exportMembers.participantId, me.id))
    .orderBy(asc(dataExports.createdAt));
  const studyIds = [
    ...new Set([
      ...requests.map((r) => r.studyId),
      ...decisions.map((d) => d.studyId),
      ...inGrants.map((g) => g.studyId),
      ...exported.map((e) => e.studyId),
    ]),
  ];
  const rows = studyIds.length
    ? await tx.select().from(studies).where(inArray(studies.id, studyIds))
    : [];
  const eventRows = studyIds.length
    ? await tx
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.participantId, me.id),
            eq(auditEvents.targetType, 'study'),
            inArray(auditEvents.targetId, studyIds),
          ),
        )
        .orderBy(asc(auditEvents.seq))
    : [];
  const events = await withProofs(
    tx,
    eventRows,
    me.userId,
    me.userId ? await languageOf(tx, me.userId) : 'en',
  );
  const latestDecision = latestVersions(decisions, (d) => d.studyId);
  const entries = rows
    .map((study): DataUseEntry => {
      const latest = latestDecision.get(study.id);
      const grant = inGrants.find((g) => g.studyId === study.id);
      return {
        study: {
          ...layStudyOf(study),
          submittedAt: study.submittedAt,
          decidedAt: study.decidedAt,
          decisionRationale: study.decisionRationale,
        },
        requestStatus: requests.find((r) => r.studyId === study.id)?.status ?? null,
        decision: (latest?.decision as 'permit' | 'deny' | undefined) ?? null,
        inGrant: Boolean(grant),
        grantExpiresAt: grant?.expiresAt ?? null,
        exports: exported
          .filter((e) => e.studyId === study.id)
          .map(({ id, createdAt, sampleId }) => ({ id, createdAt, sampleId })),
        // withProofs keeps the rows' order, so an event and its row share an index.
        events: events.filter((_e, i) => eventRows[i]!.targetId === study.id),
      };
    })
    .sort((a, b) => (b.study.submittedAt?.getTime() ?? 0) - (a.study.submittedAt?.getTime() ?? 0));
  await appendParticipantEvent(tx, actor, 'data_use.read', me.id, { studies: entries.length });
  return entries;
}
