import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askedParticipants,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditCount, auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { sendDueReminders } from './consent-reminders.js';
import { consentReminderSchedules, consentRequests } from './studies.tables.js';

const SET = `mutation($e: Int!, $m: Int!, $s: Boolean!) { setReminderSchedule(everyDays: $e, maxReminders: $m, stopped: $s) {
  __typename ... on MutationSetReminderScheduleSuccess { data { everyDays maxReminders stopped } }
  ... on ValidationError { fieldErrors { field message } } ... on Error { message } } }`;
const DAY = 86_400_000;

/**
 * Unanswered requests are reminded on the participant's schedule (default every 14 days, at most
 * 3), which they can change within bounds or stop; the researcher sees response rates only.
 */
describe(`reminders and response rates (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let studyId = '';
  let people: Awaited<ReturnType<typeof askedParticipants>> = [];
  beforeAll(async () => {
    f = await openAccessFixture();
    studyId = await submittedStudy(f);
    people = await askedParticipants(f, studyId, 3);
  }, 180_000);
  afterAll(() => f.dispose());

  const requestOf = async (participantId: string) =>
    (
      await f.db.db
        .select()
        .from(consentRequests)
        .where(eq(consentRequests.participantId, participantId))
    ).find((r) => r.studyId === studyId)!;

  it('a schedule outside its bounds is refused and changes nothing', async () => {
    const before = await auditCount(f.db.db);
    for (const [e, m, field] of [
      [6, 3, 'everyDays'],
      [91, 3, 'everyDays'],
      [14, 0, 'maxReminders'],
      [14, 11, 'maxReminders'],
    ] as const) {
      const res = await f.gql<{
        setReminderSchedule: { __typename: string; fieldErrors: { field: string }[] };
      }>(SET, { e, m, s: false }, { token: people[0]!.token });
      expect(res.data!.setReminderSchedule.__typename, `${e}/${m}`).toBe('ValidationError');
      expect(res.data!.setReminderSchedule.fieldErrors.map((x) => x.field)).toEqual([field]);
    }
    expect(await auditCount(f.db.db)).toBe(before);
    expect(await f.db.db.select().from(consentReminderSchedules)).toHaveLength(0);
  });

  it('a participant changes their schedule, another stops reminders; both audited', async () => {
    const weekly = await f.gql<{ setReminderSchedule: { data: unknown } }>(
      SET,
      { e: 7, m: 1, s: false },
      { token: people[0]!.token },
    );
    expect(weekly.data!.setReminderSchedule.data).toEqual({
      everyDays: 7,
      maxReminders: 1,
      stopped: false,
    });
    await f.gql(SET, { e: 14, m: 3, s: true }, { token: people[1]!.token });
    const events = await auditEventsWithAction(f.db.db, 'consent_request.reminders.set');
    expect(events.map((e) => e.participantId).sort()).toEqual(
      [people[0]!.participantId, people[1]!.participantId].sort(),
    );
    const mine = await f.gql<{ myReminderSchedule: unknown }>(
      `{ myReminderSchedule { everyDays maxReminders stopped } }`,
      {},
      { token: people[2]!.token },
    );
    expect(mine.data!.myReminderSchedule).toEqual({
      everyDays: 14,
      maxReminders: 3,
      stopped: false,
    });
  });

  it('reminders go out on each schedule, at most its maximum, none when stopped', async () => {
    const [weekly, stopped, standard] = people;
    const created = (await requestOf(standard!.participantId)).createdAt.getTime();
    // Six days on: nothing is due yet.
    await sendDueReminders(f.db.db, new Date(created + 6 * DAY));
    expect((await requestOf(weekly!.participantId)).remindersSent).toBe(0);
    // Eight days on: the weekly one only.
    await sendDueReminders(f.db.db, new Date(created + 8 * DAY));
    expect((await requestOf(weekly!.participantId)).remindersSent).toBe(1);
    expect((await requestOf(standard!.participantId)).remindersSent).toBe(0);
    // Fifteen and thirty days on: the default schedule reminds; the weekly one reached its one.
    await sendDueReminders(f.db.db, new Date(created + 15 * DAY));
    await sendDueReminders(f.db.db, new Date(created + 30 * DAY));
    expect((await requestOf(weekly!.participantId)).remindersSent).toBe(1);
    expect((await requestOf(standard!.participantId)).remindersSent).toBe(2);
    expect((await requestOf(stopped!.participantId)).remindersSent).toBe(0);
    // At most three by default, however long it waits.
    for (const d of [45, 60, 75, 90]) await sendDueReminders(f.db.db, new Date(created + d * DAY));
    expect((await requestOf(standard!.participantId)).remindersSent).toBe(3);
    const reminded = await auditEventsWithAction(f.db.db, 'consent_request.remind');
    expect(reminded.filter((e) => e.participantId === stopped!.participantId)).toHaveLength(0);
    expect(reminded.filter((e) => e.participantId === standard!.participantId)).toHaveLength(3);
  });

  it('the researcher sees response rates, never names', async () => {
    const answer = (token: string, requestId: string, decision: string) =>
      f.gql(
        `mutation($r: ID!, $d: StudyDecision!) { answerConsentRequest(requestId: $r, decision: $d) { __typename } }`,
        { r: requestId, d: decision },
        { token },
      );
    await answer(people[0]!.token, people[0]!.requestId, 'PERMIT');
    await answer(people[1]!.token, people[1]!.requestId, 'DENY');
    const asked = await f.db.db
      .select()
      .from(consentRequests)
      .where(eq(consentRequests.studyId, studyId));
    const res = await f.gql<{ study: { consentResponses: Record<string, number> } }>(
      `query($id: ID!) { study(id: $id) { consentResponses { asked answeredYes answeredNo waiting remindersSent } } }`,
      { id: studyId },
      { token: f.tokens.researcher },
    );
    expect(res.data!.study.consentResponses).toEqual({
      asked: asked.length,
      answeredYes: 1,
      answeredNo: 1,
      waiting: asked.length - 2,
      // The reminders of the previous test, added up over the study's requests.
      remindersSent: asked.reduce((n, r) => n + r.remindersSent, 0),
    });
    expect(asked.reduce((n, r) => n + r.remindersSent, 0)).toBeGreaterThanOrEqual(4);
    // Reading the figures is audited, as the researcher's read of figures about participants.
    const reads = await auditEventsWithAction(f.db.db, 'study.consent_responses.read');
    expect(reads.filter((e) => e.targetId === studyId)).toHaveLength(1);
  });
});
