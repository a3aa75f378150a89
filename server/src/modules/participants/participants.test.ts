import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent, lastAuditEventWith } from '../../test/audit-rows.js';
import { TEST_PASSWORD, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { participants } from './participants.tables.js';

const CREATE = `mutation($i: CreateParticipantInput!) { createParticipant(input: $i) {
  __typename ... on MutationCreateParticipantSuccess { data { id pseudonym status hasAccount } } ... on Error { code message } } }`;
const CODE = `mutation($id: ID!) { createEnrolmentCode(participantId: $id) {
  __typename ... on MutationCreateEnrolmentCodeSuccess { data { code expiresAt } } ... on Error { code message } } }`;
const ENROL = `mutation($i: EnrolInput!) { enrol(input: $i) {
  __typename ... on MutationEnrolSuccess { data { user { id role } participant { id status hasAccount } } } ... on Error { code message } } }`;
const READ = `query($id: ID!) { participant(id: $id) { id pseudonym } }`;

describe(`participants on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let stewardToken = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    stewardToken = await loginAs(gql, await makeUser(db.db, 'steward'));
  });
  afterAll(() => db.dispose());

  async function newParticipant(pseudonym?: string) {
    const res = await gql<{ createParticipant: { data: { id: string; pseudonym: string } } }>(
      CREATE,
      { i: { sex: 'female', birthYear: 1980, pseudonym } },
      { token: stewardToken },
    );
    return res.data!.createParticipant.data;
  }

  async function enrolNew(emailPrefix: string) {
    const p = await newParticipant();
    const code = await gql<{ createEnrolmentCode: { data: { code: string } } }>(
      CODE,
      { id: p.id },
      { token: stewardToken },
    );
    const email = `${emailPrefix}-${p.pseudonym.toLowerCase()}@test.local`;
    const res = await gql<{ enrol: { __typename: string } }>(ENROL, {
      i: {
        code: code.data!.createEnrolmentCode.data.code,
        email,
        password: TEST_PASSWORD,
        displayName: 'P',
      },
    });
    expect(res.data?.enrol.__typename).toBe('MutationEnrolSuccess');
    const token = await loginAs(gql, { email } as never);
    return { participant: p, token };
  }

  it('a steward registers a participant; the event names the participant', async () => {
    const p = await newParticipant('P-TEST-0001');
    expect(p.pseudonym).toBe('P-TEST-0001');
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'participant.create',
      participantId: p.id,
    });
  });

  it('a duplicate pseudonym is a conflict and writes nothing', async () => {
    await newParticipant('P-TEST-DUP');
    const before = await auditCount(db.db);
    const res = await gql<{ createParticipant: { __typename: string } }>(
      CREATE,
      { i: { sex: 'male', pseudonym: 'P-TEST-DUP' } },
      { token: stewardToken },
    );
    expect(res.data?.createParticipant.__typename).toBe('ConflictError');
    expect(await auditCount(db.db)).toBe(before);
  });

  it('enrolment with a one-time code links the account; the code cannot be used twice', async () => {
    const p = await newParticipant();
    const codeRes = await gql<{ createEnrolmentCode: { data: { code: string } } }>(
      CODE,
      { id: p.id },
      { token: stewardToken },
    );
    const code = codeRes.data!.createEnrolmentCode.data.code;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(JSON.stringify(await lastAuditEvent(db.db))).not.toContain(code);

    const res = await gql<{
      enrol: {
        __typename: string;
        data: { participant: { id: string; status: string; hasAccount: boolean } };
      };
    }>(ENROL, {
      i: {
        code: code.toLowerCase(),
        email: `linked-${p.pseudonym}@test.local`,
        password: TEST_PASSWORD,
        displayName: 'Linked',
      },
    });
    expect(res.data?.enrol.data.participant).toEqual({
      id: p.id,
      status: 'enrolled',
      hasAccount: true,
    });
    // The enrolment also sends an e-mail confirmation link (audited after it).
    expect(await lastAuditEventWith(db.db, 'participant.enrol')).toMatchObject({
      action: 'participant.enrol',
      participantId: p.id,
      actorRole: 'participant',
    });

    const before = await auditCount(db.db);
    const usersBefore = (await db.db.select({ id: users.id }).from(users)).length;
    const again = await gql<{ enrol: { __typename: string; code: string } }>(ENROL, {
      i: {
        code,
        email: `second-${p.pseudonym}@test.local`,
        password: TEST_PASSWORD,
        displayName: 'Again',
      },
    });
    expect(again.data?.enrol).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(await auditCount(db.db)).toBe(before);
    expect((await db.db.select({ id: users.id }).from(users)).length).toBe(usersBefore);
  });

  it('an enrolment that fails half-way (duplicate e-mail) leaves the code unused', async () => {
    const existing = await makeUser(db.db, 'researcher');
    const p = await newParticipant();
    const codeRes = await gql<{ createEnrolmentCode: { data: { code: string } } }>(
      CODE,
      { id: p.id },
      { token: stewardToken },
    );
    const res = await gql<{ enrol: { __typename: string } }>(ENROL, {
      i: {
        code: codeRes.data!.createEnrolmentCode.data.code,
        email: existing.email,
        password: TEST_PASSWORD,
        displayName: 'X',
      },
    });
    expect(res.data?.enrol.__typename).toBe('ConflictError');
    const [row] = await db.db.select().from(participants).where(eq(participants.id, p.id));
    expect(row).toMatchObject({ userId: null, status: 'invited' });
  });

  it('a participant reads their own record; another participant’s id answers NOT_FOUND', async () => {
    const alice = await enrolNew('alice');
    const bob = await enrolNew('bob');
    const own = await gql<{ participant: { id: string } }>(
      READ,
      { id: alice.participant.id },
      { token: alice.token },
    );
    expect(own.data?.participant.id).toBe(alice.participant.id);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'participant.read',
      participantId: alice.participant.id,
    });

    const other = await gql(READ, { id: bob.participant.id }, { token: alice.token });
    expect(other.errors?.[0]).toMatchObject({
      message: 'Participant not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const missing = await gql(
      READ,
      { id: '00000000-0000-4000-8000-00000000abcd' },
      { token: alice.token },
    );
    expect(missing.errors?.[0]?.message).toBe(other.errors?.[0]?.message);

    const mine = await gql<{ myParticipant: { id: string } }>(
      `{ myParticipant { id } }`,
      {},
      { token: alice.token },
    );
    expect(mine.data?.myParticipant.id).toBe(alice.participant.id);
  });

  it('a researcher never reads participant-level records', async () => {
    const p = await newParticipant();
    const token = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const res = await gql(READ, { id: p.id }, { token });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a malformed id is a validation error', async () => {
    const res = await gql(READ, { id: 'not-a-uuid' }, { token: stewardToken });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });
});
