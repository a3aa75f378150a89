import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import { lastAuditEvent } from '../../test/audit-rows.js';
import { TEST_PASSWORD, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { CohortEngine } from '../cohorts/cohort-engine.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) {
  __typename ... on MutationSetConsentPreferencesSuccess { data { version discoverable purposes { gru hmb commercial } } } ... on Error { code message } } }`;
const MINE = `{ myConsent { current { version askEachTime } history { version } } }`;
const WITHDRAW = `mutation($c: Boolean!) { withdrawConsent(confirm: $c) {
  __typename ... on MutationWithdrawConsentSuccess { data { withdrawnAt studiesThatReceivedData } } ... on Error { code message } } }`;

const prefs = (over: Record<string, unknown> = {}) => ({
  ...consentPreferencesInput(
    { hmb: 'PERMIT', ds: 'PERMIT', poa: 'DENY', commercial: 'DENY' },
    { recontact: true },
  ),
  ...over,
});

describe(`dynamic consent (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let participantId = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const operator = systemActor('test');
    const email = 'consenting@test.local';
    participantId = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1970 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'C' });
      return p.id;
    });
    token = await loginAs(gql, { email } as never);
  });
  afterAll(() => db.dispose());

  it('before anything is stated, every purpose is "ask" (version 0)', async () => {
    const res = await gql<{ myConsent: { current: { version: number }; history: unknown[] } }>(
      MINE,
      {},
      { token },
    );
    expect(res.data?.myConsent.current.version).toBe(0);
  });

  it('setting preferences writes a new version, audits it and queues pseudonymous chain records', async () => {
    const res = await gql<{
      setConsentPreferences: { data: { version: number; purposes: Record<string, string> } };
    }>(SET, { i: prefs() }, { token });
    expect(res.data?.setConsentPreferences.data).toMatchObject({
      version: 1,
      purposes: { gru: 'ASK', hmb: 'PERMIT', commercial: 'DENY' },
    });
    const event = await lastAuditEvent(db.db);
    expect(event).toMatchObject({ action: 'consent.preferences.update', participantId });
    const queued = await db.db.select().from(chainOutbox).where(eq(chainOutbox.kind, 'consent'));
    expect(queued).toHaveLength(9);
    const text = JSON.stringify(queued.map((q) => q.item));
    expect(text).not.toContain(participantId);
    expect(queued.map((q) => (q.item as { scope: string; decision: string }).scope).sort()).toEqual(
      [
        'ask_each_time',
        'discovery',
        'purpose:COMMERCIAL',
        'purpose:DS',
        'purpose:GRU',
        'purpose:HMB',
        'purpose:METHODS',
        'purpose:POA',
        'recontact',
      ],
    );
    const item = (scope: string) =>
      queued.find((q) => (q.item as { scope: string }).scope === scope)!.item;
    expect(item('purpose:HMB')).toMatchObject({ decision: 'permit', version: 1, format: 2 });
    // "Ask me" is recorded as itself, not as a refusal (record format 2).
    expect(item('purpose:GRU')).toMatchObject({ decision: 'ask', format: 2 });
    expect(item('recontact')).toMatchObject({ decision: 'permit', format: 2 });
  });

  it('a change records only what changed, and the history keeps every version', async () => {
    const before = (await db.db.select().from(chainOutbox)).length;
    await gql(
      SET,
      {
        i: prefs({ purposes: { ...prefs().purposes, gru: 'PERMIT' } }),
      },
      { token },
    );
    const after = await db.db.select().from(chainOutbox);
    expect(after.length).toBe(before + 1);
    const res = await gql<{ myConsent: { history: { version: number }[] } }>(MINE, {}, { token });
    expect(res.data?.myConsent.history.map((h) => h.version)).toEqual([2, 1]);
  });

  it('other roles have no consent of their own; bad input is refused', async () => {
    const researcher = await loginAs(gql, await makeUser(db.db, 'researcher'));
    expect((await gql(MINE, {}, { token: researcher })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const bad = await gql(SET, { i: prefs({ purposes: { gru: 'MAYBE' } }) }, { token });
    expect(bad.errors?.[0]?.message).toMatch(/ConsentChoice|gru/);
  });

  it('withdrawal needs confirmation, takes effect on the next count, and cannot happen twice', async () => {
    const engine = new CohortEngine(db.db);
    const before = (await engine.current()).count({});
    const unconfirmed = await gql<{ withdrawConsent: { __typename: string } }>(
      WITHDRAW,
      { c: false },
      { token },
    );
    expect(unconfirmed.data?.withdrawConsent.__typename).toBe('ValidationError');
    const res = await gql<{
      withdrawConsent: { __typename: string; data: { studiesThatReceivedData: string[] } };
    }>(WITHDRAW, { c: true }, { token });
    expect(res.data?.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');
    expect(res.data?.withdrawConsent.data.studiesThatReceivedData).toEqual([]);
    expect((await engine.current()).count({})).toBe(before - 1);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'participant.withdraw',
      participantId,
    });
    const again = await gql<{ withdrawConsent: { __typename: string } }>(
      WITHDRAW,
      { c: true },
      { token },
    );
    expect(again.data?.withdrawConsent.__typename).toBe('ConflictError');
    engine.dispose();
  });
});
