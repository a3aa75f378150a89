import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import {
  TEST_PASSWORD,
  createTestApi,
  loginAs,
  makeUser,
  testConfig,
} from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { consentRequests, studies, studyDecisions } from '../studies/studies.tables.js';
import { memberConsents } from '../studies/study-cohort.js';
import { participants } from '../participants/participants.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';

const OPTIONS = `mutation { passkeyRegistrationOptions }`;
const ADD = `mutation($r: String!, $n: String!) { addPasskey(response: $r, name: $n) {
  __typename ... on MutationAddPasskeySuccess { data { name credentialId } } ... on Error { code message } } }`;
const LIST = `{ myPasskeys { name credentialId } }`;
const STATEMENT = `mutation($i: ConsentPreferencesInput!) { signingStatementForPreferences(input: $i) {
  __typename ... on MutationSigningStatementForPreferencesSuccess { data { time challenge records } } ... on Error { code message } } }`;
const SET = `mutation($i: ConsentPreferencesInput!, $s: ConsentSignatureInput) { setConsentPreferences(input: $i, signature: $s) {
  __typename ... on MutationSetConsentPreferencesSuccess { data { version signedWith } } ... on Error { code message } } }`;
const MINE = `{ myConsent { history { version signedWith } } }`;
const ANSWER_STATEMENT = `mutation($r: ID!) { signingStatementForAnswer(requestId: $r, decision: PERMIT) {
  __typename ... on MutationSigningStatementForAnswerSuccess { data { time challenge records } } ... on Error { code message } } }`;
const ANSWER = `mutation($r: ID!, $s: ConsentSignatureInput) { answerConsentRequest(requestId: $r, decision: PERMIT, signature: $s) {
  __typename ... on MutationAnswerConsentRequestSuccess { data { status } } ... on Error { code message } } }`;
const WITHDRAW_STATEMENT = `mutation { signingStatementForWithdrawal {
  __typename ... on MutationSigningStatementForWithdrawalSuccess { data { time challenge records } } ... on Error { code message } } }`;
const WITHDRAW = `mutation($s: ConsentSignatureInput) { withdrawConsent(confirm: true, signature: $s) {
  __typename ... on MutationWithdrawConsentSuccess { data { withdrawnAt } } ... on Error { code message } } }`;

type Statement = { time: string; challenge: string; records: string[] };

const prefs = (commercial: 'PERMIT' | 'DENY') =>
  consentPreferencesInput(
    { gru: 'PERMIT', hmb: 'PERMIT', poa: 'DENY', commercial },
    { recontact: true },
  );

describe(`passkeys and signed consent over GraphQL (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let participantId = '';
  const rp = testConfig().webauthn;
  const device = new SoftAuthenticator(rp);

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const operator = systemActor('test');
    const email = 'passkey@test.local';
    participantId = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'male', birthYear: 1990 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'P' });
      return p.id;
    });
    token = await loginAs(gql, { email } as never);
  });
  afterAll(() => db.dispose());

  it('enrols a passkey and lists it', async () => {
    const options = await gql<{ passkeyRegistrationOptions: string }>(OPTIONS, {}, { token });
    const { challenge } = JSON.parse(options.data!.passkeyRegistrationOptions) as {
      challenge: string;
    };
    const added = await gql<{ addPasskey: { data: { name: string } } }>(
      ADD,
      { r: JSON.stringify(device.register(challenge)), n: 'Phone' },
      { token },
    );
    expect(added.data?.addPasskey).toMatchObject({ data: { name: 'Phone' } });
    const list = await gql<{ myPasskeys: { credentialId: string }[] }>(LIST, {}, { token });
    expect(list.data?.myPasskeys).toEqual([{ name: 'Phone', credentialId: device.credentialId }]);
  });

  it('approves a further passkey and a removal with challenges the server hands out', async () => {
    const second = new SoftAuthenticator(rp);
    const options = await gql<{ passkeyRegistrationOptions: string }>(OPTIONS, {}, { token });
    const { challenge } = JSON.parse(options.data!.passkeyRegistrationOptions) as {
      challenge: string;
    };
    const registration = JSON.stringify(second.register(challenge));
    const approvalChallenge = await gql<{ passkeyApprovalChallenge: { data: string } }>(
      `mutation($r: String!) { passkeyApprovalChallenge(response: $r) {
        ... on MutationPasskeyApprovalChallengeSuccess { data } ... on Error { code } } }`,
      { r: registration },
      { token },
    );
    const added = await gql<{ addPasskey: { data: { credentialId: string } } }>(
      `mutation($r: String!, $n: String!, $a: String) { addPasskey(response: $r, name: $n, approval: $a) {
        ... on MutationAddPasskeySuccess { data { id credentialId } } ... on Error { code message } } }`,
      {
        r: registration,
        n: 'Laptop',
        a: JSON.stringify(device.assert(approvalChallenge.data!.passkeyApprovalChallenge.data)),
      },
      { token },
    );
    const { id } = added.data!.addPasskey.data as { id: string; credentialId: string };
    expect(added.data?.addPasskey.data.credentialId).toBe(second.credentialId);
    const removal = await gql<{ passkeyRemovalChallenge: { data: string } }>(
      `mutation($id: ID!) { passkeyRemovalChallenge(id: $id) {
        ... on MutationPasskeyRemovalChallengeSuccess { data } ... on Error { code } } }`,
      { id },
      { token },
    );
    const removed = await gql<{ removePasskey: { __typename: string } }>(
      `mutation($id: ID!, $a: String!) { removePasskey(id: $id, approval: $a) { __typename } }`,
      { id, a: JSON.stringify(second.assert(removal.data!.passkeyRemovalChallenge.data)) },
      { token },
    );
    expect(removed.data?.removePasskey.__typename).toBe('MutationRemovePasskeySuccess');
    const list = await gql<{ myPasskeys: { credentialId: string }[] }>(LIST, {}, { token });
    expect(list.data?.myPasskeys).toEqual([{ name: 'Phone', credentialId: device.credentialId }]);
  });

  it('a signed change shows as signed by the passkey; an unsigned one is refused and changes nothing', async () => {
    const unsigned = await gql<{ setConsentPreferences: { code: string; message: string } }>(
      SET,
      { i: prefs('DENY') },
      { token },
    );
    // A passkey holder's decisions are theirs to sign: the contract would refuse them unsigned.
    expect(unsigned.data?.setConsentPreferences).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/confirm this change with your passkey/),
    });
    const nothing = await gql<{ myConsent: { history: unknown[] } }>(MINE, {}, { token });
    expect(nothing.data?.myConsent.history).toEqual([{ version: 0, signedWith: null }]);
    const statement = await gql<{
      signingStatementForPreferences: {
        data: { time: string; challenge: string; records: string[] };
      };
    }>(STATEMENT, { i: prefs('PERMIT') }, { token });
    const { time, challenge, records } = statement.data!.signingStatementForPreferences.data;
    // The first version records every scope, in record format 2.
    expect(records).toHaveLength(9);
    expect(records.map((r) => JSON.parse(r) as { format: number; version: number })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: 'purpose:COMMERCIAL', version: 1, format: 2 }),
      ]),
    );
    const signed = await gql<{ setConsentPreferences: { data: unknown } }>(
      SET,
      { i: prefs('PERMIT'), s: { time, response: JSON.stringify(device.assert(challenge)) } },
      { token },
    );
    expect(signed.data?.setConsentPreferences.data).toEqual({
      version: 1,
      signedWith: device.credentialId,
    });
    const mine = await gql<{ myConsent: { history: unknown[] } }>(MINE, {}, { token });
    expect(mine.data?.myConsent.history).toEqual([{ version: 1, signedWith: device.credentialId }]);
  });

  it('refuses a signature over another statement with a typed error and changes nothing', async () => {
    const statement = await gql<{
      signingStatementForPreferences: { data: { time: string } };
    }>(STATEMENT, { i: prefs('DENY') }, { token });
    const res = await gql<{ setConsentPreferences: { __typename: string; code: string } }>(
      SET,
      {
        i: prefs('DENY'),
        s: {
          time: statement.data!.signingStatementForPreferences.data.time,
          response: JSON.stringify(device.assert(Buffer.from('other').toString('base64url'))),
        },
      },
      { token },
    );
    expect(res.data?.setConsentPreferences).toMatchObject({ code: 'VALIDATION' });
    const mine = await gql<{ myConsent: { history: unknown[] } }>(MINE, {}, { token });
    expect(mine.data?.myConsent.history).toHaveLength(1);
  });

  it('answers a study request with a signed decision', async () => {
    const owner = await makeUser(db.db, 'researcher');
    const studyId = randomUUID();
    const requestId = randomUUID();
    await db.db.insert(studies).values({
      id: studyId,
      ownerId: owner.id,
      title: 'Signed answers',
      laySummary: 'A study asking for a signed answer.',
      purpose: { primary: 'GRU', commercial: false },
      status: 'approved',
    });
    await db.db
      .insert(consentRequests)
      .values({ id: requestId, studyId, participantId, status: 'pending' });
    const statement = await gql<{ signingStatementForAnswer: { data: Statement } }>(
      ANSWER_STATEMENT,
      { r: requestId },
      { token },
    );
    const { time, challenge, records } = statement.data!.signingStatementForAnswer.data;
    expect(JSON.parse(records[0]!)).toMatchObject({
      scope: `study:${studyId}`,
      decision: 'permit',
    });
    const answered = await gql<{ answerConsentRequest: { data: { status: string } } }>(
      ANSWER,
      { r: requestId, s: { time, response: JSON.stringify(device.assert(challenge)) } },
      { token },
    );
    expect(answered.data?.answerConsentRequest.data).toEqual({ status: 'ANSWERED' });
    const [decision] = await db.db
      .select()
      .from(studyDecisions)
      .where(eq(studyDecisions.studyId, studyId));
    expect(decision?.signedWith).toBe(device.credentialId);
    const [queued] = await db.db
      .select()
      .from(chainOutbox)
      .where(eq(chainOutbox.eventId, JSON.parse(records[0]!).event_id as string));
    expect(queued?.item).toMatchObject({
      proof: { passkey: { assertion: { key_id: device.credentialId } } },
    });
    // An export under this study would say the consent rests on the participant's signature.
    const [num] = await db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, participantId));
    const [member] = await db.db.transaction((tx) =>
      memberConsents(
        tx,
        {
          id: studyId,
          status: 'submitted',
          purpose: { primary: 'GRU', commercial: false } as never,
          match: { datasets: [] } as never,
        },
        [num!.num],
      ),
    );
    expect(member).toMatchObject({ vouchedBy: 'participant' });
  });

  it('lets a passkey holder withdraw without the device, recorded by the institution with the session as witness', async () => {
    const operator = systemActor('test');
    const email = 'lost-device@test.local';
    const otherId = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1985 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'Q' });
      return p.id;
    });
    const other = await loginAs(gql, { email } as never);
    const otherDevice = new SoftAuthenticator(rp);
    const options = await gql<{ passkeyRegistrationOptions: string }>(
      OPTIONS,
      {},
      { token: other },
    );
    const { challenge } = JSON.parse(options.data!.passkeyRegistrationOptions) as {
      challenge: string;
    };
    const added = await gql<{ addPasskey: { __typename: string } }>(
      ADD,
      { r: JSON.stringify(otherDevice.register(challenge)), n: 'Phone' },
      { token: other },
    );
    expect(added.data?.addPasskey.__typename).toBe('MutationAddPasskeySuccess');
    const res = await gql<{ withdrawConsent: { __typename: string } }>(
      WITHDRAW,
      {},
      { token: other },
    );
    expect(res.data?.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');
    const [row] = await db.db.select().from(participants).where(eq(participants.id, otherId));
    expect(row?.status).toBe('withdrawn');
    const queued = (await db.db.select().from(chainOutbox)).filter(
      (q) => q.kind === 'consent' && q.eventId.startsWith('pref:'),
    );
    const proofs = queued
      .map((q) => q.item as { subject: string; proof?: unknown })
      .filter((i) => i.proof && JSON.stringify(i.proof).includes('participant-session'));
    expect(proofs.length).toBeGreaterThan(1);
    for (const p of proofs)
      expect(p.proof).toEqual({ institution: { witness: 'participant-session' } });
  });

  it('withdraws with one signature covering every scope it denies', async () => {
    const statement = await gql<{ signingStatementForWithdrawal: { data: Statement } }>(
      WITHDRAW_STATEMENT,
      {},
      { token },
    );
    const { time, challenge, records } = statement.data!.signingStatementForWithdrawal.data;
    expect(records.length).toBeGreaterThan(1);
    const res = await gql<{ withdrawConsent: { __typename: string } }>(
      WITHDRAW,
      { s: { time, response: JSON.stringify(device.assert(challenge)) } },
      { token },
    );
    expect(res.data?.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');
    const mine = await gql<{ myConsent: { history: { signedWith: string | null }[] } }>(
      MINE,
      {},
      { token },
    );
    expect(mine.data?.myConsent.history[0]?.signedWith).toBe(device.credentialId);
    const ids = records.map((r) => JSON.parse(r).event_id as string);
    const queued = await db.db.select().from(chainOutbox);
    const covered = queued.filter((q) => ids.includes(q.eventId));
    expect(covered).toHaveLength(ids.length);
    for (const q of covered)
      expect(
        (q.item as { proof: { passkey: { covers: string[] } } }).proof.passkey.covers,
      ).toHaveLength(ids.length);
  });
});
