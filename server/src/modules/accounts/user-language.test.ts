import { describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { TEST_PASSWORD, loginAs, useTestApi } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import type { UserRecord } from './accounts.service.js';

const SET = `mutation($locale: String!) { setMyLanguage(locale: $locale) {
  __typename ... on MutationSetMyLanguageSuccess { data } ... on Error { code message } } }`;
const ME = `{ me { id locale } }`;
const TIMELINE = `{ myTimeline(limit: 20) { action sentence kind } }`;

describe(`a participant chooses their language (${TEST_DRIVER})`, () => {
  const fx = useTestApi();

  /** An enrolled participant with their own account, signed in. */
  async function signedInParticipant(): Promise<{ user: UserRecord; token: string }> {
    const operator = systemActor('test');
    const user = await fx.db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1980 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      const enrolled = await enrolWithCode(tx, {
        code,
        email: `lang-${p.id.slice(0, 8)}@test.local`,
        password: TEST_PASSWORD,
        displayName: 'L',
      });
      return enrolled.user;
    });
    return { user, token: await loginAs(fx.gql, user) };
  }

  it('starts unset, takes Spanish, shows it in `me` and audits the change once', async () => {
    const { user, token } = await signedInParticipant();
    const before = await fx.gql<{ me: { locale: string | null } }>(ME, {}, { token });
    expect(before.data?.me.locale).toBeNull();

    const set = await fx.gql<{ setMyLanguage: { __typename: string; data: string } }>(
      SET,
      { locale: 'es' },
      { token },
    );
    expect(set.data?.setMyLanguage).toEqual({
      __typename: 'MutationSetMyLanguageSuccess',
      data: 'es',
    });
    const after = await fx.gql<{ me: { locale: string } }>(ME, {}, { token });
    expect(after.data?.me.locale).toBe('es');
    expect(await lastAuditEvent(fx.db.db)).toMatchObject({
      action: 'user.language.change',
      actorId: user.id,
      targetId: user.id,
      payload: '{"locale":"es"}',
    });

    // The same choice again changes nothing and records nothing.
    const events = await auditCount(fx.db.db);
    await fx.gql(SET, { locale: 'es' }, { token });
    expect(await auditCount(fx.db.db)).toBe(events);
  });

  it('refuses a language it does not speak, and nothing changes', async () => {
    const { token } = await signedInParticipant();
    await fx.gql(SET, { locale: 'es' }, { token });
    const events = await auditCount(fx.db.db);
    for (const bad of ['fr', 'ES', '', 'es-ES', 'en; drop table users']) {
      const res = await fx.gql<{ setMyLanguage: { __typename: string; code: string } }>(
        SET,
        { locale: bad },
        { token },
      );
      expect(res.data?.setMyLanguage, bad).toMatchObject({
        __typename: 'ValidationError',
        code: 'VALIDATION',
      });
    }
    const me = await fx.gql<{ me: { locale: string } }>(ME, {}, { token });
    expect(me.data?.me.locale).toBe('es');
    expect(await auditCount(fx.db.db)).toBe(events);
  });

  it('refuses a caller who is not signed in', async () => {
    const res = await fx.gql<{ setMyLanguage: unknown }>(SET, { locale: 'es' });
    expect(res.data?.setMyLanguage ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('words the timeline in the chosen language, and back in English after switching', async () => {
    const { token } = await signedInParticipant();
    await fx.gql(SET, { locale: 'es' }, { token });
    type Timeline = { myTimeline: { action: string; sentence: string }[] };
    const es = await fx.gql<Timeline>(TIMELINE, {}, { token });
    const sentence = (t: typeof es, action: string) =>
      t.data?.myTimeline.find((e) => e.action === action)?.sentence;
    expect(sentence(es, 'participant.enrol')).toBe('Se unió a Consentome');
    expect(sentence(es, 'participant.create')).toBe('Su centro del estudio creó su registro');

    await fx.gql(SET, { locale: 'en' }, { token });
    const en = await fx.gql<Timeline>(TIMELINE, {}, { token });
    expect(sentence(en, 'participant.enrol')).toBe('You joined Consentome');
    // The earlier read of the timeline is there too, now in English.
    expect(sentence(en, 'audit.read')).toBe('You looked at this timeline');
  });
});
