import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, confirmEmail, loginAs, makeUser, useTestApi } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { systemActor, type UserActor } from '../actors/actor.js';
import { sendWeeklyDigests } from '../audit-explorer/weekly-digest.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { deliverPendingMail } from './mail-delivery.js';
import type { MailMessage, MailPort } from './mail-port.js';
import { notifications } from './notifications.tables.js';
import { notify } from './notify.js';

const SET_LANGUAGE = `mutation($locale: String!) { setMyLanguage(locale: $locale) {
  ... on MutationSetMyLanguageSuccess { data } ... on Error { code } } }`;
const SET_DIGEST = `mutation { setWeeklyDigest(on: true) {
  ... on MutationSetWeeklyDigestSuccess { data } ... on Error { code } } }`;

describe(`participants' notifications in their language (${TEST_DRIVER})`, () => {
  const fx = useTestApi();

  it('each recipient of one message gets it in the language they chose', async () => {
    const english = await makeUser(fx.db.db, 'participant');
    const spanish = await makeUser(fx.db.db, 'participant');
    await fx.gql(SET_LANGUAGE, { locale: 'es' }, { token: await loginAs(fx.gql, spanish) });
    await fx.db.db.transaction((tx) =>
      notify(tx, [english.id, spanish.id], {
        kind: 'consent_request',
        title: { en: 'A study asks to use your data', es: 'Un estudio pide usar sus datos' },
        body: { en: 'Read and decide.', es: 'Lea y decida.' },
        link: '/inbox',
      }),
    );
    const rowOf = async (userId: string) =>
      (await fx.db.db.select().from(notifications).where(eq(notifications.userId, userId)))[0];
    expect(await rowOf(english.id)).toMatchObject({
      title: 'A study asks to use your data',
      body: 'Read and decide.',
    });
    expect(await rowOf(spanish.id)).toMatchObject({
      title: 'Un estudio pide usar sus datos',
      body: 'Lea y decida.',
    });
  });

  it('the weekly summary and its e-mail are in Spanish for a Spanish-speaking participant', async () => {
    const operator = systemActor('test');
    const { participantId, user } = await fx.db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'male', birthYear: 1961 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      const enrolled = await enrolWithCode(tx, {
        code,
        email: 'semana@test.local',
        password: TEST_PASSWORD,
        displayName: 'S',
      });
      return { participantId: p.id, user: enrolled.user };
    });
    // A confirmed address, so the mail goes out.
    await confirmEmail(fx.db.db, user.id);
    const token = await loginAs(fx.gql, user);
    await fx.gql(SET_LANGUAGE, { locale: 'es' }, { token });
    await fx.gql(SET_DIGEST, {}, { token });
    const steward = await makeUser(fx.db.db, 'steward');
    const actor: UserActor = { kind: 'user', userId: steward.id, role: 'steward', sessionId: null };
    await fx.db.db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'participant.read',
        targetType: 'participant',
        targetId: participantId,
        participantId,
      }),
    );

    expect(await sendWeeklyDigests(fx.db.db)).toEqual({ sent: 1, quiet: 0 });
    const [digest] = await fx.db.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, user.id));
    expect(digest).toMatchObject({ title: 'Su semana en Consentome', link: '/timeline' });
    expect(digest!.body).toMatch(/otras personas usaron sus datos 1 vez\./);
    expect(digest!.body).not.toMatch(/your data|time/);

    const sent: MailMessage[] = [];
    const port: MailPort = {
      kind: 'outbox',
      send: async (m) => void sent.push(m),
      close: () => undefined,
    };
    await deliverPendingMail(fx.db.db, port);
    const mail = sent.find((m) => m.to === 'semana@test.local');
    expect(mail?.subject).toBe('Su semana en Consentome');
    expect(mail?.text).toMatch(/\n\nAbrir: \/timeline$/);
  });
});
