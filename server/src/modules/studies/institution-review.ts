import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { ConsentRequestTiming } from '../../config.js';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { askingTimeOf } from '../dacs/dacs.service.js';
import { dacs } from '../dacs/dacs.tables.js';
import { unacceptedAgreements, type AgreementRow } from '../dacs/data-use-agreements.js';
import { notify } from '../notifications/notify.js';
import {
  accountOf,
  institutionIs,
  institutionKey,
  signingOfficialsOf,
} from '../signing-officials/institutions.js';
import { validLibraryCard } from '../signing-officials/library-cards.js';
import {
  assertSameInstitution,
  assertSigningOfficial,
} from '../signing-officials/signing-officials.policy.js';
import { askWhoMustBeAsked } from './ask-participants.js';
import { institutionReviews } from './institution-review.tables.js';
import { studies } from './studies.tables.js';
import type { StudyRow } from './study-access.js';
import { memberConsents, studyCandidates, tally } from './study-cohort.js';
import { openElections, requestCommittees } from './study-elections.js';
import { transition } from './study-lifecycle.js';

/** One decision of the institution on a request. */
export type InstitutionReviewRow = typeof institutionReviews.$inferSelect;

/** The committees a request's datasets need (refused when a dataset has none). */
export async function committeesOfRequest(
  tx: Tx,
  datasetIds: readonly string[],
): Promise<string[]> {
  return [...new Set((await requestCommittees(tx, datasetIds)).values())];
}

async function namesOf(tx: Tx, agreements: readonly AgreementRow[]): Promise<string> {
  const rows = await tx
    .select({ id: dacs.id, name: dacs.name })
    .from(dacs)
    .where(
      inArray(
        dacs.id,
        agreements.map((a) => a.dacId),
      ),
    );
  const name = new Map(rows.map((r) => [r.id, r.name]));
  return agreements.map((a) => `${name.get(a.dacId)} (version ${a.version})`).join(', ');
}

/**
 * Refuses unless `userId` accepted the current data use agreement of every committee: `who` says
 * whose acceptance is missing in the error ("the principal investigator", "you").
 */
export async function assertAgreementsAccepted(
  tx: Tx,
  userId: string,
  dacIds: readonly string[],
  who: string,
): Promise<void> {
  const missing = await unacceptedAgreements(tx, userId, dacIds);
  if (missing.length)
    throw new ValidationError('A data use agreement is not accepted', [
      {
        field: 'dataUseAgreements',
        message: `${who} must accept the current data use agreement of ${await namesOf(tx, missing)}`,
      },
    ]);
}

/**
 * Where a submission goes. To the committees at once when the researcher holds a valid library
 * card whose issuer accepted the current agreement of every committee involved (the card stands
 * for that official's approval and acceptance); otherwise to the institution's signing
 * officials, refused when it has none.
 */
export async function routeOfSubmission(
  tx: Tx,
  ownerId: string,
  dacIds: readonly string[],
): Promise<
  { to: 'committees'; cardId: string; officialId: string } | { to: 'official'; officials: string[] }
> {
  const card = await validLibraryCard(tx, ownerId);
  if (card && (await unacceptedAgreements(tx, card.issuedBy, dacIds)).length === 0)
    return { to: 'committees', cardId: card.id, officialId: card.issuedBy };
  const owner = await accountOf(tx, ownerId);
  const officials = await signingOfficialsOf(tx, owner?.institution);
  if (officials.length === 0)
    throw new ValidationError('Your institution has no signing official', [
      {
        field: 'institution',
        message: owner?.institution
          ? `no signing official is registered for ${owner.institution}: ask an administrator to name one`
          : 'your account names no institution: ask an administrator to set it',
      },
    ]);
  return { to: 'official', officials };
}

/** Records the institution's decision on a request. */
async function recordDecision(
  tx: Tx,
  row: Omit<InstitutionReviewRow, 'id' | 'decidedAt'>,
): Promise<void> {
  await tx.insert(institutionReviews).values({ id: randomUUID(), ...row });
}

/** What the card route records before the request goes on (its library card and issuer). */
export function recordLibraryCard(
  tx: Tx,
  studyId: string,
  route: { cardId: string; officialId: string },
): Promise<void> {
  return recordDecision(tx, {
    studyId,
    signingOfficialId: route.officialId,
    decision: 'library_card',
    reason: null,
    libraryCardId: route.cardId,
  });
}

/**
 * Sends a request whose match is frozen to its committees: one election per committee, the
 * participants whose consent says "ask" asked now when configured so, and the move to
 * `submitted` (which tells the members).
 */
export async function sendToCommittees(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  study: StudyRow & { match: CombinedMatchResult },
  when: ConsentRequestTiming,
  options: { submittedNow: boolean; action?: 'study.institution.approve' },
): Promise<StudyRow> {
  await openElections(tx, study.id, study.datasetIds);
  const candidates = studyCandidates(
    index,
    study.cohortCriteria as CohortCriteria,
    study.datasetIds,
  );
  const members = await memberConsents(
    tx,
    {
      id: study.id,
      status: study.status,
      purpose: study.purpose as ResearchPurpose,
      match: study.match,
    },
    candidates,
  );
  // Before the decision only when a deciding committee (or, for a committee without its own
  // setting, the server default `when`) says so, to give the board the response rate; otherwise
  // participants are asked once the committees approve (election-outcome.ts).
  if ((await askingTimeOf(tx, study.datasetIds, when)) === 'before_decision')
    await askWhoMustBeAsked(tx, actor, study, members);
  return transition(tx, actor, study.id, 'submitted', {
    set: { match: study.match, ...(options.submittedNow && { submittedAt: new Date() }) },
    action: options.action,
    payload: {
      decision: study.match.decision,
      datasets: study.match.datasets.map((d) => ({ id: d.datasetId, decision: d.decision })),
      cohort: tally(members),
    },
  });
}

/** Loads a request waiting for its signing official, locked, after checking the official's institution. */
async function waitingRequest(tx: Tx, actor: Actor | null, id: unknown): Promise<StudyRow> {
  assertSigningOfficial(actor);
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Study');
  const [study] = await tx.select().from(studies).where(eq(studies.id, parsed.data)).for('update');
  if (!study) throw new NotFoundError('Study');
  const official = await accountOf(tx, actor.userId);
  const owner = await accountOf(tx, study.ownerId);
  // Refused before anything is read or written: another institution's request is not theirs.
  assertSameInstitution(official?.institution ?? null, owner?.institution ?? null);
  if (study.status !== 'institution_review')
    throw new ConflictError(`The study is ${study.status.replace('_', ' ')}, not waiting for you`);
  return study;
}

/**
 * The researcher's signing official approves a waiting request: both the researcher (as PI) and
 * the official must have accepted the current data use agreement of every committee involved,
 * then it goes to the committees. An official of another institution is refused; nothing changes.
 */
export async function approveAsSigningOfficial(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  id: unknown,
  when: ConsentRequestTiming = 'after_approval',
): Promise<StudyRow> {
  const study = await waitingRequest(tx, actor, id);
  const official = actor as { userId: string };
  const dacIds = await committeesOfRequest(tx, study.datasetIds);
  await assertAgreementsAccepted(tx, study.ownerId, dacIds, 'The principal investigator');
  await assertAgreementsAccepted(tx, official.userId, dacIds, 'You');
  await recordDecision(tx, {
    studyId: study.id,
    signingOfficialId: official.userId,
    decision: 'approved',
    reason: null,
    libraryCardId: null,
  });
  return sendToCommittees(
    tx,
    actor,
    index,
    study as StudyRow & { match: CombinedMatchResult },
    when,
    {
      submittedNow: false,
      action: 'study.institution.approve',
    },
  );
}

const ReasonSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, { message: 'say why in a few words' })
    .max(2_000, { message: 'must be at most 2,000 characters' }),
});

/**
 * The signing official returns a waiting request to the researcher, who may change it and submit
 * again, or turns it down for good; either way with a reason the researcher reads. The reason is
 * kept with the decision, not in the audit log (free text).
 */
export async function declineAsSigningOfficial(
  tx: Tx,
  actor: Actor | null,
  input: { id: unknown; reason: unknown; decision: 'returned' | 'rejected' },
): Promise<StudyRow> {
  const { reason } = parseInput(ReasonSchema, { reason: input.reason });
  const study = await waitingRequest(tx, actor, input.id);
  const official = actor as { userId: string };
  await recordDecision(tx, {
    studyId: study.id,
    signingOfficialId: official.userId,
    decision: input.decision,
    reason,
    libraryCardId: null,
  });
  if (input.decision === 'rejected')
    return transition(tx, actor, study.id, 'rejected', {
      set: { decidedAt: new Date(), decisionRationale: reason },
      action: 'study.institution.reject',
    });
  const returned = await transition(tx, actor, study.id, 'draft', {
    // Back to a draft: the frozen match is recomputed at the next submission.
    set: { match: null, submittedAt: null },
  });
  await appendAuditEvent(tx, actor, {
    action: 'study.institution.return',
    targetType: 'study',
    targetId: study.id,
  });
  await notify(tx, [study.ownerId], {
    kind: 'institution_decision',
    title: 'Your signing official returned a study',
    body: `“${study.title}” came back to you with your signing official’s comments.`,
    link: `/studies/${study.id}`,
  });
  return returned;
}

/** The requests of the official's institution that wait for a signing official, oldest first. */
export async function requestsWaitingForMe(tx: Tx, actor: Actor | null): Promise<StudyRow[]> {
  assertSigningOfficial(actor);
  const key = institutionKey((await accountOf(tx, actor.userId))?.institution);
  if (!key) return [];
  const rows = await tx
    .select({ study: studies })
    .from(studies)
    .innerJoin(users, eq(users.id, studies.ownerId))
    .where(and(eq(studies.status, 'institution_review'), institutionIs(users.institution, key)))
    .orderBy(asc(studies.submittedAt));
  return rows.map((r) => r.study);
}

/** The institution's decisions on a study, newest first. */
export function institutionReviewsOf(tx: Tx, studyId: string): Promise<InstitutionReviewRow[]> {
  return tx
    .select()
    .from(institutionReviews)
    .where(eq(institutionReviews.studyId, studyId))
    .orderBy(desc(institutionReviews.decidedAt));
}
