import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor, type UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { sendWeeklyDigests } from './weekly-digest.service.js';

const SET = `mutation($on: Boolean!) { setWeeklyDigest(on: $on) {
  ... on MutationSetWeeklyDigestSuccess { data } ... on Error { code } } }`;
const DAY = 86_400_000;

describe(`the weekly summary e-mail (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let participantId = '';
  let userId = '';
  const digests = () =>
    db.db.select().from(notifications).where(eq(notifications.kind, 'weekly_digest'));
  /** Someone else reads the participant's record: a use by others. */
  const useByOthers = async () => {
    const steward = await makeUser(db.db, 'steward');
    const actor: UserActor = {
      kind: 'user',
      userId: steward.id,
      role: 'steward',
      sessionId: null,
    };
    await db.db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'participant.read',
        targetType: 'participant',
        targetId: participantId,
        participantId,
      }),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const operator = systemActor('test');
    await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1975 });
      participantId = p.id;
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      const { user } = await enrolWithCode(tx, {
        code,
        email: 'digest@test.local',
        password: TEST_PASSWORD,
        displayName: 'D',
      });
      userId = user.id;
    });
    token = await loginAs(gql, { email: 'digest@test.local' } as never);
  });
  afterAll(() => db.dispose());

  it('sends nothing to a participant who did not ask for it', async () => {
    await useByOthers();
    expect(await sendWeeklyDigests(db.db)).toEqual({ sent: 0, quiet: 0 });
    expect(await digests()).toEqual([]);
  });

  it('once asked, a week with uses by others gets one summary with counts only; the next round waits a week', async () => {
    const on = await gql<{ setWeeklyDigest: { data: boolean } }>(SET, { on: true }, { token });
    expect(on.data?.setWeeklyDigest.data).toBe(true);
    const mine = await gql<{ myWeeklyDigest: boolean }>(`{ myWeeklyDigest }`, {}, { token });
    expect(mine.data?.myWeeklyDigest).toBe(true);
    await useByOthers();
    await useByOthers();
    const now = new Date();
    expect(await sendWeeklyDigests(db.db, now)).toEqual({ sent: 1, quiet: 0 });
    const [digest] = await digests();
    expect(digest).toMatchObject({ userId, link: '/timeline', title: 'Your week on Consentome' });
    expect(digest!.body).toMatch(/your data was used 2 times by others/);
    expect(digest!.body).not.toMatch(/steward|@/i);
    // The read of the participant's trail for the summary is itself on their trail.
    const audited = await db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'audit.digest'));
    expect(audited.map((e) => e.participantId)).toEqual([participantId]);
    // Not due again within the week.
    expect(await sendWeeklyDigests(db.db, new Date(now.getTime() + 3 * DAY))).toEqual({
      sent: 0,
      quiet: 0,
    });
    // A week later with nothing new: a quiet week sends nothing.
    expect(await sendWeeklyDigests(db.db, new Date(now.getTime() + 8 * DAY))).toEqual({
      sent: 0,
      quiet: 1,
    });
    expect(await digests()).toHaveLength(1);
  });

  it('turned off, nothing more is sent; other roles cannot ask for it', async () => {
    await gql(SET, { on: false }, { token });
    await useByOthers();
    expect(await sendWeeklyDigests(db.db, new Date(Date.now() + 30 * DAY))).toEqual({
      sent: 0,
      quiet: 0,
    });
    const researcher = await makeUser(db.db, 'researcher');
    const refused = await gql(SET, { on: true }, { token: await loginAs(gql, researcher) });
    expect(refused.errors?.[0]?.extensions?.code ?? JSON.stringify(refused.data)).toMatch(
      /FORBIDDEN/,
    );
  });
});
