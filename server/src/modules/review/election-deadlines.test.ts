import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import type { UserActor } from '../actors/actor.js';
import { dacs } from '../dacs/dacs.tables.js';
import { grants } from '../grants/grants.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import { closeOverdueElection, sweepElectionDeadlines } from './election-deadlines.js';
import { reviewVotes } from './review.tables.js';

const DAY = 86_400_000;

/**
 * Deadlines are per committee (its voting days) and the one clock is the sweep's `now`: it flags
 * an election overdue, and the API's fields and the chair's close follow the flag, so the test
 * moves time without waiting or touching the rows.
 */
describe(`election deadlines (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let population: string;
  let chair: UserActor;
  let member2: string;

  beforeAll(async () => {
    f = await openAccessFixture();
    const [dac] = await f.db.db.select().from(dacs).where(eq(dacs.name, 'Population Panel DAC'));
    population = dac!.id;
    const byEmail = async (email: string) =>
      (await f.db.db.select().from(users).where(eq(users.email, email)))[0]!.id;
    chair = {
      kind: 'user',
      userId: await byEmail('ethics@demo.local'),
      role: 'ethics_board',
      sessionId: null,
    };
    member2 = await byEmail('ethics2@demo.local');
    expect(dac!.chairId).toBe(chair.userId);
  }, 180_000);
  afterAll(() => f.dispose());

  const election = async (studyId: string) =>
    (await f.db.db.select().from(studyElections).where(eq(studyElections.studyId, studyId)))[0]!;
  const deadlineMail = (studyId: string) =>
    f.db.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.kind, 'vote_deadline'), eq(notifications.link, `/review/${studyId}`)),
      );
  const approveAs = (token: string, studyId: string) =>
    mutate(f, token, 'castVote(input: $vote)', 'status', {
      vote: { studyId, vote: 'APPROVE', rationale: 'Fits the data use and the consent.' },
    });
  const close = (token: string, studyId: string) =>
    mutate(f, token, 'closeOverdueElection(studyId: $studyId, dacId: $dacId)', 'status', {
      studyId,
      dacId: population,
    });
  /** Everything closing writes, to show a refused close changed nothing. */
  const snapshot = async (studyId: string) =>
    JSON.stringify([
      await election(studyId),
      await f.db.db.select().from(studies).where(eq(studies.id, studyId)),
      await f.db.db.select().from(grants).where(eq(grants.studyId, studyId)),
      (await auditEventsWithAction(f.db.db, 'review.election.close_overdue')).length,
    ]);
  const setRule = (rule: string) =>
    f.gql(
      `mutation($d: ID!, $r: OverdueRule) { setDacRules(dacId: $d, overdueRule: $r) { __typename } }`,
      { d: population, r: rule },
      { token: f.tokens.admin },
    );

  it('reminds the members yet to vote once near the deadline, then flags the election overdue once, telling them and the chair; by default it stays open', async () => {
    const studyId = await submittedStudy(f);
    const opened = await election(studyId);
    expect(opened.deadlineAt.getTime() - opened.createdAt.getTime()).toBeCloseTo(30 * DAY, -5);
    expect((await approveAs(f.tokens.ethics2, studyId)).data).toEqual({ status: 'UNDER_REVIEW' });
    const start = opened.createdAt.getTime();

    // Ten days in: nothing is due.
    await sweepElectionDeadlines(f.db.db, new Date(start + 10 * DAY));
    expect(await deadlineMail(studyId)).toHaveLength(0);

    // Three days before the deadline: the chair, who has not voted, is reminded; the member
    // who voted is not. Once only.
    await sweepElectionDeadlines(f.db.db, new Date(start + 27.5 * DAY));
    await sweepElectionDeadlines(f.db.db, new Date(start + 28 * DAY));
    let mail = await deadlineMail(studyId);
    expect(mail.map((n) => n.userId)).toEqual([chair.userId]);
    expect(mail[0]!.body).toMatch(/3 days left/);
    expect((await election(studyId)).remindedAt).not.toBeNull();

    // Past the deadline: flagged once, the chair told the election waits for its quorum.
    const late = new Date(start + 31 * DAY);
    expect((await sweepElectionDeadlines(f.db.db, late)).overdue).toBeGreaterThanOrEqual(1);
    await sweepElectionDeadlines(f.db.db, new Date(start + 32 * DAY));
    mail = await deadlineMail(studyId);
    expect(mail).toHaveLength(2);
    expect(mail[1]!.title).toBe('An election you chair is overdue');
    expect(mail[1]!.body).toMatch(/stays open until the quorum/);
    const flagged = await election(studyId);
    expect(flagged.overdueAt).toEqual(late);
    expect(flagged.status).toBe('open');
    const audited = await auditEventsWithAction(f.db.db, 'review.election.overdue');
    expect(audited.filter((a) => a.targetId === studyId)).toHaveLength(1);

    // Under the "remind" rule the chair may not close it, even past the deadline. Nothing changes.
    const before = await snapshot(studyId);
    const index = await f.services.counter.index();
    await expect(
      f.db.db.transaction((tx) =>
        closeOverdueElection(
          tx,
          chair,
          f.services.counter,
          index,
          { grantDefaultMonths: 12 },
          { studyId, dacId: population },
        ),
      ),
    ).rejects.toThrow(/keeps an overdue election open/);
    expect(await snapshot(studyId)).toBe(before);
  });

  it('under CHAIR_CLOSES the chair alone closes an overdue election on the votes cast: a majority approves (grant issued), no votes rejects; before the deadline it is refused', async () => {
    expect((await setRule('CHAIR_CLOSES')).errors).toBeUndefined();
    const index = await f.services.counter.index();
    const settings = { grantDefaultMonths: 12 };
    // Time moves by sweeping with a later clock: the sweep flags the election overdue, and
    // closing (like the API's fields) goes by that flag.
    const closeNow = (studyId: string, actor: UserActor) =>
      f.db.db.transaction((tx) =>
        closeOverdueElection(tx, actor, f.services.counter, index, settings, {
          studyId,
          dacId: population,
        }),
      );
    const closeAt = async (studyId: string, actor: UserActor, now: Date) => {
      await sweepElectionDeadlines(f.db.db, now);
      return closeNow(studyId, actor);
    };

    const studyId = await submittedStudy(f);
    await approveAs(f.tokens.ethics2, studyId);
    const start = (await election(studyId)).createdAt.getTime();
    const late = new Date(start + 31 * DAY);

    // Before the deadline (the real clock): refused, nothing written; the field says so.
    const before = await snapshot(studyId);
    expect(await close(f.tokens.ethics, studyId)).toMatchObject({
      __typename: 'ConflictError',
      message: expect.stringMatching(/only after its deadline/),
    });
    // A member who is not the chair, and a researcher, are refused too.
    expect(await close(f.tokens.ethics2, studyId)).toMatchObject({ __typename: 'ForbiddenError' });
    await expect(close(f.tokens.researcher, studyId)).rejects.toThrow(/FORBIDDEN/);
    await expect(closeNow(studyId, { ...chair, userId: member2 })).rejects.toThrow(/chair/);
    expect(await snapshot(studyId)).toBe(before);
    const view = await f.gql<{ study: { elections: { overdue: boolean; canClose: boolean }[] } }>(
      `query($id: ID!) { study(id: $id) { elections { overdue canClose } } }`,
      { id: studyId },
      { token: f.tokens.ethics },
    );
    expect(view.data!.study.elections).toEqual([{ overdue: false, canClose: false }]);

    // The sweep's clock past the deadline: the fields follow it at once (no real time passes),
    // the close button is the chair's alone, and the chair closes through the API.
    await sweepElectionDeadlines(f.db.db, late);
    const fields = async (token: string) =>
      (
        await f.gql<{ study: { elections: { overdue: boolean; canClose: boolean }[] } }>(
          `query($id: ID!) { study(id: $id) { elections { overdue canClose } } }`,
          { id: studyId },
          { token },
        )
      ).data!.study.elections;
    expect(await fields(f.tokens.ethics)).toEqual([{ overdue: true, canClose: true }]);
    expect(await fields(f.tokens.ethics2)).toEqual([{ overdue: true, canClose: false }]);

    // Past it: one approval of one vote cast is a majority: approved, with a grant.
    expect(await close(f.tokens.ethics, studyId)).toMatchObject({ data: { status: 'APPROVED' } });
    expect(await fields(f.tokens.ethics)).toEqual([{ overdue: false, canClose: false }]);
    expect((await election(studyId)).status).toBe('approved');
    expect(await f.db.db.select().from(grants).where(eq(grants.studyId, studyId))).toHaveLength(1);
    const audit = (await auditEventsWithAction(f.db.db, 'review.election.close_overdue')).find(
      (a) => a.targetId === studyId,
    );
    expect(JSON.parse(String(audit?.payload))).toMatchObject({
      decision: 'approved',
      votes: 1,
      approvals: 1,
    });
    // Closed once: a second close is refused.
    await expect(closeAt(studyId, chair, late)).rejects.toThrow(/already decided/);

    // A chair who declared a conflict on the election may not decide it by closing it.
    const conflicted = await submittedStudy(f);
    const declared = await f.gql<{ declareConflict: { __typename: string } }>(
      `mutation($c: DeclareConflictInput!) { declareConflict(input: $c) { __typename } }`,
      { c: { studyId: conflicted, dacId: population, reason: 'Co-author of the applicant.' } },
      { token: f.tokens.ethics },
    );
    expect(declared.data?.declareConflict.__typename).toBe('MutationDeclareConflictSuccess');
    const conflictedStart = (await election(conflicted)).createdAt.getTime();
    await sweepElectionDeadlines(f.db.db, new Date(conflictedStart + 31 * DAY));
    const beforeConflicted = await snapshot(conflicted);
    await expect(closeNow(conflicted, chair)).rejects.toThrow(/conflict of interest/);
    expect(await snapshot(conflicted)).toBe(beforeConflicted);

    // No votes at all: silence does not grant access.
    const silent = await submittedStudy(f);
    const silentStart = (await election(silent)).createdAt.getTime();
    const rejected = await closeAt(silent, chair, new Date(silentStart + 31 * DAY));
    expect(rejected.status).toBe('rejected');
    expect(await f.db.db.select().from(grants).where(eq(grants.studyId, silent))).toHaveLength(0);
    expect(
      await f.db.db.select().from(reviewVotes).where(eq(reviewVotes.studyId, silent)),
    ).toHaveLength(0);
    expect((await setRule('REMIND')).errors).toBeUndefined();
  });
});
