import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyMemberConsents } from '../../test/study-member-consents.js';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import {
  approve,
  askedParticipants,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
  answerRequest,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { notifications } from '../notifications/notifications.tables.js';
import { participants } from '../participants/participants.tables.js';
import { consentRequests } from '../studies/studies.tables.js';

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) {
  __typename ... on MutationSetConsentPreferencesSuccess { data { version } } ... on Error { code message } } }`;

const prefs = (hmb: string) => consentPreferencesInput({ hmb });

/**
 * Precedence rule 4 end to end: a participant says yes to two health studies, one of which is
 * approved (it received data), then says a standing "no" to health research. The study without
 * data loses them at once; the one with data keeps their yes and asks whether the "no" applies.
 */
describe(`a later standing no over an earlier study yes (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let granted = '';
  let pending = '';
  let person: { participantId: string; token: string };

  const consentIn = async (studyId: string) => {
    const [p] = await f.db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, person.participantId));
    const [m] = await studyMemberConsents(f.db.db, studyId, () => [p!.num]);
    return m!;
  };
  const requestFor = async (studyId: string) =>
    (
      await f.db.db
        .select()
        .from(consentRequests)
        .where(
          and(
            eq(consentRequests.studyId, studyId),
            eq(consentRequests.participantId, person.participantId),
          ),
        )
    )[0];
  const answer = (requestId: string, decision: 'PERMIT' | 'DENY') =>
    answerRequest(f, { token: person.token, requestId }, decision);

  beforeAll(async () => {
    f = await openAccessFixture();
    granted = await submittedStudy(f);
    const [p] = await askedParticipants(f, granted, 1);
    person = p!;
    expect((await answer(p!.requestId, 'PERMIT')).__typename).toBe(
      'MutationAnswerConsentRequestSuccess',
    );
    pending = await submittedStudy(f);
    const second = await requestFor(pending);
    expect(second, 'the same criteria ask the same person').toBeDefined();
    await answer(second!.id, 'PERMIT');
    await approve(f, granted);
  }, 120_000);
  afterAll(async () => {
    await f?.dispose();
  });

  it('bad input changes nothing: no new version, no request', async () => {
    const before = await f.db.db.select().from(consentRequests);
    const res = await f.gql<{ setConsentPreferences: { __typename: string } }>(
      SET,
      { i: { ...prefs('DENY'), purposes: { ...prefs('DENY').purposes, hmb: 'NEVER' } } },
      { token: person.token },
    );
    expect(res.errors ?? res.data?.setConsentPreferences.__typename).toBeTruthy();
    expect(res.data?.setConsentPreferences?.__typename).not.toBe(
      'MutationSetConsentPreferencesSuccess',
    );
    expect(await f.db.db.select().from(consentRequests)).toEqual(before);
    expect((await consentIn(granted)).rule).toBe('study-yes');
  });

  it('the study without data loses them; the one with data keeps the yes and asks', async () => {
    expect((await consentIn(granted)).consent).toBe('permit');
    expect((await consentIn(pending)).consent).toBe('permit');
    const asked = (await auditEventsWithAction(f.db.db, 'consent_request.create')).length;
    const res = await f.gql<{ setConsentPreferences: { __typename: string } }>(
      SET,
      { i: prefs('DENY') },
      { token: person.token },
    );
    expect(res.data?.setConsentPreferences.__typename).toBe('MutationSetConsentPreferencesSuccess');

    expect(await consentIn(pending)).toMatchObject({ consent: 'deny', rule: 'later-standing-no' });
    expect(await consentIn(granted)).toMatchObject({
      consent: 'permit',
      rule: 'later-standing-no-awaiting-answer',
      awaitingAnswer: true,
    });
    expect(await requestFor(granted)).toMatchObject({ status: 'pending', reason: 'later_no' });
    // The study without data is not asked about: the "no" simply applies.
    expect(await requestFor(pending)).toMatchObject({ status: 'answered', reason: 'ask' });
    expect(await auditEventsWithAction(f.db.db, 'consent_request.create')).toHaveLength(asked + 1);
    const mine = await f.gql<{
      myConsentRequests: { reason: string; status: string; study: { id: string } }[];
    }>(`{ myConsentRequests { reason status study { id } } }`, {}, { token: person.token });
    expect(mine.data!.myConsentRequests.find((r) => r.study.id === granted)).toMatchObject({
      reason: 'LATER_NO',
      status: 'PENDING',
    });
    const [userRow] = await f.db.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(eq(participants.id, person.participantId));
    const notes = await f.db.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userRow!.userId!));
    expect(notes.some((n) => n.title.startsWith('Does your “no” apply'))).toBe(true);

    // Saving again does not ask twice while the question is open.
    await f.gql(SET, { i: prefs('DENY') }, { token: person.token });
    expect(await auditEventsWithAction(f.db.db, 'consent_request.create')).toHaveLength(asked + 1);
  });

  it('their answer decides: "yes, the no applies" ends the study’s use of their data', async () => {
    const request = await requestFor(granted);
    expect((await answer(request!.id, 'DENY')).__typename).toBe(
      'MutationAnswerConsentRequestSuccess',
    );
    expect(await consentIn(granted)).toMatchObject({ consent: 'deny', rule: 'study-no' });
    expect(await requestFor(granted)).toMatchObject({ status: 'answered', reason: 'later_no' });
  });
});
