import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { studies } from './studies.tables.js';
import {
  assertDraft,
  BEFORE_COMMITTEES,
  ownStudy,
  visibleStudy,
  type StudyRow,
} from './study-access.js';
import { assertApplicationComplete } from './access-request.service.js';
import {
  assertAgreementsAccepted,
  committeesOfRequest,
  recordLibraryCard,
  routeOfSubmission,
  sendToCommittees,
} from './institution-review.js';
import { notify } from '../notifications/notify.js';
import { transition } from './study-lifecycle.js';
import type { ConsentRequestTiming } from '../../config.js';
import { freezeStudyCohort } from './study-cohort-figures.js';
import { CreateStudySchema, UpdateStudySchema } from './study-input.js';
import { matchStudy, missingEvidence } from './study-match.js';

/** Payload-safe purpose for the audit log: the free text of OTHER is never copied. */
function auditPurpose(purpose: ResearchPurpose): Record<string, unknown> {
  return { ...purpose, otherText: purpose.otherText ? '(text)' : undefined };
}

/** A researcher opens a study as a draft. */
export async function createStudy(tx: Tx, actor: Actor | null, input: unknown): Promise<StudyRow> {
  if (!hasRole(actor, 'researcher')) throw new ForbiddenError('Only researchers create studies');
  const data = parseInput(CreateStudySchema, input);
  const [study] = await tx
    .insert(studies)
    .values({
      id: randomUUID(),
      ownerId: actor.userId,
      title: data.title,
      laySummary: data.laySummary,
      laySummaryEs: data.laySummaryEs ?? null,
      purpose: data.purpose,
      collaborators: data.collaborators,
      cohortCriteria: data.cohortCriteria ?? null,
      datasetIds: data.datasetIds,
      status: 'draft',
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'study.create',
    targetType: 'study',
    targetId: study!.id,
    payload: { purpose: auditPurpose(data.purpose), datasets: data.datasetIds },
  });
  return study!;
}

/** The owner changes a draft. */
export async function updateStudy(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
  input: unknown,
): Promise<StudyRow> {
  const data = parseInput(UpdateStudySchema, input);
  const study = await ownStudy(tx, actor, id);
  assertDraft(study);
  const [updated] = await tx
    .update(studies)
    .set({
      ...(data.title !== undefined && { title: data.title }),
      ...(data.laySummary !== undefined && { laySummary: data.laySummary }),
      ...(data.laySummaryEs !== undefined && { laySummaryEs: data.laySummaryEs }),
      ...(data.purpose !== undefined && { purpose: data.purpose }),
      ...(data.collaborators !== undefined && { collaborators: data.collaborators }),
      ...(data.cohortCriteria !== undefined && { cohortCriteria: data.cohortCriteria }),
      ...(data.datasetIds !== undefined && { datasetIds: data.datasetIds }),
      updatedAt: new Date(),
    })
    .where(eq(studies.id, study.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'study.update',
    targetType: 'study',
    targetId: study.id,
    payload: { fields: Object.keys(data).sort() },
  });
  return updated!;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Records the digest of the IRB approval letter: the file itself is not kept. */
export async function attachIrbEvidence(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
  evidence: { name: string; sha256: string },
): Promise<StudyRow> {
  if (!SHA256.test(evidence.sha256))
    throw new ValidationError('Invalid evidence digest', [
      { field: 'sha256', message: 'not a SHA-256' },
    ]);
  const name = evidence.name.trim().slice(0, 200) || 'irb-letter';
  const study = await ownStudy(tx, actor, id);
  assertDraft(study);
  const [updated] = await tx
    .update(studies)
    .set({ irbEvidenceSha256: evidence.sha256, irbEvidenceName: name, updatedAt: new Date() })
    .where(eq(studies.id, study.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'study.evidence.attach',
    targetType: 'study',
    targetId: study.id,
    payload: { sha256: evidence.sha256 },
  });
  return updated!;
}

/**
 * Submits a draft as an access request: freezes the DUO match per dataset and checks the
 * evidence the datasets demand and that the researcher, as principal investigator, accepted the
 * current data use agreement of every committee involved. Then it goes to the researcher's
 * signing official (institution-review.ts), or straight to the committees when a valid library
 * card stands in: one election per committee, its members told a vote is needed, and with
 * `when` = before_decision every member whose consent says "ask" asked (by default they are
 * asked after the committees approve). `index` must be synced before the transaction opens.
 */
export async function submitStudy(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  id: unknown,
  when: ConsentRequestTiming = 'after_approval',
): Promise<StudyRow> {
  const study = await ownStudy(tx, actor, id);
  assertDraft(study);
  const issues: { field: string; message: string }[] = [];
  if (study.datasetIds.length === 0)
    issues.push({ field: 'datasetIds', message: 'name at least one dataset' });
  if (!study.cohortCriteria)
    issues.push({ field: 'cohortCriteria', message: 'attach a cohort first' });
  if (issues.length) throw new ValidationError('The study is not ready to submit', issues);
  // The full request (every section, confirmed collaborators, a current IRB approval).
  await assertApplicationComplete(tx, study);
  // Refused when a dataset has no committee: nobody could decide it.
  const dacIds = await committeesOfRequest(tx, study.datasetIds);
  await assertAgreementsAccepted(tx, study.ownerId, dacIds, 'The principal investigator');
  const purpose = study.purpose as ResearchPurpose;
  const match = await matchStudy(tx, index.ontologyGraph(), purpose, study.datasetIds);
  const missing = missingEvidence(match, study);
  if (missing.length) throw new ValidationError('Evidence is missing', missing);
  const route = await routeOfSubmission(tx, study.ownerId, dacIds);
  if (route.to === 'committees') {
    await recordLibraryCard(tx, study.id, route);
    return sendToCommittees(tx, actor, index, { ...study, match }, when, { submittedNow: true });
  }
  const waiting = await transition(tx, actor, study.id, 'institution_review', {
    set: { match, submittedAt: new Date() },
    payload: {
      decision: match.decision,
      datasets: match.datasets.map((d) => ({ id: d.datasetId, decision: d.decision })),
    },
  });
  await notify(tx, route.officials, {
    kind: 'signing_official_needed',
    title: 'A request awaits your signature',
    body: `“${study.title}” was submitted by a researcher of your institution.`,
    link: '/signing-official',
  });
  return waiting;
}

/**
 * The owner withdraws a request before it is decided; unanswered consent requests close and the
 * cohort figures are frozen. `index` comes from `counter.index()` before the transaction opens.
 */
export async function withdrawStudy(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  id: unknown,
): Promise<StudyRow> {
  const study = await ownStudy(tx, actor, id);
  if (!['draft', 'institution_review', 'submitted', 'under_review'].includes(study.status))
    throw new ConflictError(`The study is ${study.status} and can no longer be withdrawn`);
  const withdrawn = await transition(tx, actor, study.id, 'withdrawn', {
    set: { decidedAt: new Date() },
    payload: { from: study.status },
  });
  return freezeStudyCohort(tx, counter, index, withdrawn);
}

/** One study the caller may see (others: not found). */
export function getStudy(tx: Tx, actor: Actor | null, id: unknown): Promise<StudyRow> {
  return visibleStudy(tx, actor, id);
}

/**
 * Studies the caller may see, newest first: a researcher's own; every submitted one for
 * boards and admins (drafts stay private).
 */
export async function listStudies(
  tx: Tx,
  actor: Actor | null,
  input: { statuses?: readonly string[] | null },
): Promise<StudyRow[]> {
  const filters = [];
  if (hasRole(actor, 'researcher')) filters.push(eq(studies.ownerId, actor.userId));
  else if (hasRole(actor, 'ethics_board', 'admin'))
    filters.push(notInArray(studies.status, [...BEFORE_COMMITTEES]));
  else throw new ForbiddenError('Only researchers, ethics boards and admins see studies');
  if (input.statuses?.length) filters.push(inArray(studies.status, [...input.statuses]));
  return tx
    .select()
    .from(studies)
    .where(and(...filters))
    .orderBy(desc(studies.createdAt));
}
