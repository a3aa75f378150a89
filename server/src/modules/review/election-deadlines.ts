import { and, eq, isNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { systemActor, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import { activeDacMemberIds, dacById, type DacRow } from '../dacs/dac-reads.js';
import { dacs } from '../dacs/dacs.tables.js';
import { notify } from '../notifications/notify.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import { visibleStudy, type StudyRow } from '../studies/study-access.js';
import {
  electionById,
  electionsOfStudy,
  markElectionOverdue,
  markElectionReminded,
  type ElectionRow,
} from '../studies/study-elections.js';
import {
  recordElectionDecision,
  settleStudy,
  votesInElection,
  type ReviewSettings,
} from './election-outcome.js';
import { conflictedMembers } from './member-election.js';
import { assertCanVote } from './review.policy.js';

const DAY_MS = 86_400_000;
/** Members are reminded this long before the deadline, or half-way through a shorter period. */
const REMINDER_DAYS = 3;
const SWEEPER = systemActor('election-deadline-sweeper');

/** When the members of an election yet to vote are reminded of its deadline. */
export function reminderAt(election: ElectionRow): Date {
  const period = election.deadlineAt.getTime() - election.createdAt.getTime();
  const before = Math.min(REMINDER_DAYS * DAY_MS, period / 2);
  return new Date(election.deadlineAt.getTime() - before);
}

/** Whether an open election's deadline has come by `now` (the sweep's clock). */
function isPastDeadline(election: ElectionRow, now: Date): boolean {
  return election.status === 'open' && election.deadlineAt <= now;
}

/**
 * Whether an election is overdue: still open, and flagged by the deadline sweep. The sweep is the
 * one place that reads a clock for deadlines (the worker's, or the one a test supplies), so the
 * API's `overdue` and `canClose`, the chair's close and the notices the members and the chair get
 * all change at the same moment, and a test moves them all by sweeping with a later `now`.
 */
export function isOverdue(election: ElectionRow): boolean {
  return election.status === 'open' && election.overdueAt !== null;
}

/**
 * Whether a user may close an election now: they chair its committee, the committee's rule lets
 * the chair close an overdue election, and this one is overdue.
 */
export function chairMayClose(
  dac: DacRow,
  election: ElectionRow,
  userId: string | null | undefined,
): boolean {
  return (
    Boolean(userId) &&
    dac.chairId === userId &&
    dac.overdueRule === 'chair_closes' &&
    isOverdue(election)
  );
}

/** The active members of an election's committee who neither voted nor stood aside. */
async function membersYetToVote(tx: Tx, election: ElectionRow): Promise<string[]> {
  const voted = new Set((await votesInElection(tx, election.id)).map((v) => v.memberId));
  const aside = new Set(await conflictedMembers(tx, election.id));
  return (await activeDacMemberIds(tx, election.dacId)).filter(
    (m) => !voted.has(m) && !aside.has(m),
  );
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * A worker round: reminds the members yet to vote once as an election's deadline nears (three
 * days before it, or half-way through a shorter period), and once it has passed flags the
 * election overdue, telling those members and the chair (who, when the committee's rule says
 * `chair_closes`, may then close it on the votes cast). Nothing is decided by the timer: a
 * committee's silence must not grant access, nor refuse it without anyone saying so. Claims
 * with `FOR UPDATE SKIP LOCKED`; idempotent; callable with any `now` (tests).
 */
export async function sweepElectionDeadlines(
  db: Database,
  now = new Date(),
): Promise<{ reminded: number; overdue: number }> {
  return db.transaction(async (tx) => {
    const horizon = new Date(now.getTime() + REMINDER_DAYS * DAY_MS);
    const due = await tx
      .select({ election: studyElections, dac: dacs, title: studies.title })
      .from(studyElections)
      .innerJoin(dacs, eq(dacs.id, studyElections.dacId))
      .innerJoin(studies, eq(studies.id, studyElections.studyId))
      .where(
        and(
          eq(studyElections.status, 'open'),
          lte(studyElections.deadlineAt, horizon),
          isNull(studyElections.overdueAt),
        ),
      )
      .for('update', { of: studyElections, skipLocked: true });
    let reminded = 0;
    let overdue = 0;
    for (const { election, dac, title } of due) {
      if (isPastDeadline(election, now)) {
        if (!(await markElectionOverdue(tx, election.id, now))) continue;
        overdue++;
        await flagOverdue(tx, election, dac, title);
      } else if (!election.remindedAt && reminderAt(election) <= now) {
        if (!(await markElectionReminded(tx, election.id, now))) continue;
        reminded++;
        await remind(tx, election, dac, title, now);
      }
    }
    return { reminded, overdue };
  });
}

/** Audits what the sweep did to an election: its committee, deadline and how many it told. */
async function auditDeadline(
  tx: Tx,
  action: 'review.election.remind' | 'review.election.overdue',
  election: ElectionRow,
  dac: DacRow,
  members: number,
): Promise<void> {
  await appendAuditEvent(tx, SWEEPER, {
    action,
    targetType: 'study',
    targetId: election.studyId,
    payload: { dac: dac.id, deadlineAt: election.deadlineAt.toISOString(), members },
  });
}

async function remind(
  tx: Tx,
  election: ElectionRow,
  dac: DacRow,
  title: string,
  now: Date,
): Promise<void> {
  const pending = await membersYetToVote(tx, election);
  await auditDeadline(tx, 'review.election.remind', election, dac, pending.length);
  const daysLeft = Math.max(1, Math.ceil((election.deadlineAt.getTime() - now.getTime()) / DAY_MS));
  await notify(tx, pending, {
    kind: 'vote_deadline',
    title: 'A request awaits your vote',
    body: `${dac.name} decides “${title}” by ${day(election.deadlineAt)} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left), and your vote is not in yet.`,
    link: `/review/${election.studyId}`,
  });
}

async function flagOverdue(
  tx: Tx,
  election: ElectionRow,
  dac: DacRow,
  title: string,
): Promise<void> {
  const pending = (await membersYetToVote(tx, election)).filter((m) => m !== dac.chairId);
  await auditDeadline(tx, 'review.election.overdue', election, dac, pending.length);
  const passed = `${dac.name}’s vote on “${title}” was due on ${day(election.deadlineAt)}`;
  await notify(tx, pending, {
    kind: 'vote_deadline',
    title: 'Your committee’s vote is overdue',
    body: `${passed} and your vote is not in yet. Vote, or declare a conflict of interest.`,
    link: `/review/${election.studyId}`,
  });
  if (dac.chairId)
    await notify(tx, [dac.chairId], {
      kind: 'vote_deadline',
      title: 'An election you chair is overdue',
      body:
        dac.overdueRule === 'chair_closes'
          ? `${passed}. As the chair you may close it on the votes cast (a majority approves; a tie or no votes rejects), or wait for the quorum.`
          : `${passed}. The election stays open until the quorum is reached: remind the members who have not voted.`,
      link: `/review/${election.studyId}`,
    });
}

const CloseSchema = z.strictObject({
  studyId: idSchema,
  dacId: idSchema,
});

/**
 * The chair of a committee whose rule is `chair_closes` closes its election on a request once
 * the deadline has passed without a decision (the sweep flagged it overdue): the votes cast decide by simple majority, and a
 * tie or no votes at all rejects (access is not granted on silence). The request then moves on
 * as after any committee's decision (approved with a grant over the approving committees'
 * datasets, or rejected, once every committee has spoken). Audited; the votes cast carry the
 * rationales.
 */
export async function closeOverdueElection(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  settings: ReviewSettings,
  input: unknown,
): Promise<StudyRow> {
  const data = parseInput(CloseSchema, input);
  assertCanVote(actor);
  const study = await visibleStudy(tx, actor, data.studyId, true);
  const found = (await electionsOfStudy(tx, study.id)).find((e) => e.dacId === data.dacId);
  if (!found) throw new NotFoundError('Election');
  const election = await electionById(tx, found.id, true);
  const dac = await dacById(tx, election.dacId);
  if (dac.chairId !== actor.userId)
    throw new ForbiddenError('Only the committee’s chair may close its election');
  // Closing decides the election: a chair who declared a conflict on it may not.
  if ((await conflictedMembers(tx, election.id)).includes(actor.userId))
    throw new ForbiddenError('You declared a conflict of interest on this election');
  if (election.status !== 'open')
    throw new ConflictError(`The committee has already decided (${election.status})`);
  if (dac.overdueRule !== 'chair_closes')
    throw new ConflictError(
      'This committee’s rule keeps an overdue election open until its quorum is reached',
    );
  if (!isOverdue(election))
    throw new ConflictError(
      `The election is open until ${day(election.deadlineAt)}: it can be closed only after its deadline`,
    );
  const votes = await votesInElection(tx, election.id);
  const approvals = votes.filter((v) => v.vote === 'approve').length;
  const decision = approvals > votes.length - approvals ? 'approved' : 'rejected';
  await recordElectionDecision(
    tx,
    actor,
    'review.election.close_overdue',
    election,
    decision,
    votes,
  );
  return settleStudy(tx, actor, counter, index, settings, study);
}
