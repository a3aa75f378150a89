import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../accounts/accounts.tables.js';
import { auditEvents } from '../audit/audit.tables.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { sessionAuth } from './identity.tables.js';
import { MAX_TOTP_FAILURES } from './totp.service.js';

let db: TestDatabase;
let gql: ReturnType<typeof createTestApi>;

beforeAll(async () => {
  db = await createTestDatabase();
  const base = testConfig();
  gql = createTestApi(
    db.db,
    testConfig({
      identity: {
        ...base.identity,
        mfaRoles: ['admin', 'ethics_board'],
        stepUpFields: ['castVote', 'revokeGrant', 'changeUserRole', 'createExport'],
        stepUpMaxAgeMs: 5 * 60_000,
      },
    }),
  );
});
afterAll(() => db?.dispose());

type Res = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
const codeOf = (res: Res) => res.errors?.[0]?.extensions?.code;

async function enrol(token: string): Promise<{ secret: string; recovery: string[] }> {
  const started = await gql<{
    startTotpEnrolment: { data: { secret: string; otpauthUri: string } };
  }>(
    `mutation { startTotpEnrolment { ... on MutationStartTotpEnrolmentSuccess { data { secret otpauthUri } } } }`,
    {},
    { token },
  );
  const { secret, otpauthUri } = started.data!.startTotpEnrolment.data;
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Consentome:/);
  const confirmed = await gql<{ confirmTotpEnrolment: { data: string[] } }>(
    `mutation($c: String!) { confirmTotpEnrolment(code: $c) { ... on MutationConfirmTotpEnrolmentSuccess { data } } }`,
    { c: await generate({ secret }) },
    { token },
  );
  return { secret, recovery: confirmed.data!.confirmTotpEnrolment.data };
}

async function verify(token: string, args: { code?: string; recoveryCode?: string }) {
  const res = await gql<{ verifySecondFactor: { __typename: string } }>(
    `mutation($c: String, $r: String) { verifySecondFactor(code: $c, recoveryCode: $r) { __typename } }`,
    { c: args.code ?? null, r: args.recoveryCode ?? null },
    { token },
  );
  return res.data!.verifySecondFactor.__typename;
}

async function ageSecondFactor(token: string): Promise<void> {
  const me = await gql<{ mySecondFactor: { sessionVerifiedAt: string } }>(
    `{ mySecondFactor { sessionVerifiedAt } }`,
    {},
    { token },
  );
  expect(me.data!.mySecondFactor.sessionVerifiedAt).not.toBeNull();
  await db.db.update(sessionAuth).set({ mfaAt: new Date(Date.now() - 6 * 60_000) });
}

const CHANGE_ROLE = `mutation($id: ID!) { changeUserRole(input: { userId: $id, role: steward }) { __typename } }`;

describe(`second factor: TOTP, recovery codes, MFA per role and step-up (${TEST_DRIVER})`, () => {
  it('keeps an admin without a second factor out of everything but setting one up', async () => {
    const admin = await makeUser(db.db, 'admin');
    const token = await loginAs(gql, admin);
    const listed = await gql(`{ users { id } }`, {}, { token });
    expect(codeOf(listed)).toBe('MFA_REQUIRED');
    expect(listed.data ?? null).toBeNull();
    // Hidden behind a fragment, the field is still found.
    const hidden = await gql(`query { ... on Query { users { id } } }`, {}, { token });
    expect(codeOf(hidden)).toBe('MFA_REQUIRED');
    const [refusal] = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'users.refused'), eq(auditEvents.actorId, admin.id)));
    expect(JSON.parse(refusal!.payload)).toEqual({ code: 'MFA_REQUIRED' });
    const me = await gql<{
      me: { id: string };
      mySecondFactor: { required: boolean; enrolled: boolean };
    }>(`{ me { id } mySecondFactor { required enrolled } }`, {}, { token });
    expect(me.data!.mySecondFactor).toEqual({ required: true, enrolled: false });
    const { recovery } = await enrol(token);
    expect(recovery).toHaveLength(10);
    expect(codeOf(await gql(`{ users { id } }`, {}, { token }))).toBeUndefined();
    const status = await gql<{ mySecondFactor: { amr: string[]; recoveryCodesLeft: number } }>(
      `{ mySecondFactor { amr recoveryCodesLeft } }`,
      {},
      { token },
    );
    expect(status.data!.mySecondFactor).toEqual({ amr: ['pwd', 'otp'], recoveryCodesLeft: 10 });
  });

  it('asks for a recent second factor before a role change, even when the API is called directly', async () => {
    const admin = await makeUser(db.db, 'admin');
    const target = await makeUser(db.db, 'researcher');
    const token = await loginAs(gql, admin);
    const { secret } = await enrol(token);
    await ageSecondFactor(token);
    const refused = await gql(CHANGE_ROLE, { id: target.id }, { token });
    expect(codeOf(refused)).toBe('STEP_UP_REQUIRED');
    const [row] = await db.db
      .select({ role: users.role })
      .from(users)
      .where(eq(users.id, target.id));
    expect(row!.role).toBe('researcher');
    // The code from enrolment cannot be used again within its window…
    expect(await verify(token, { code: await generate({ secret }) })).toBe('ValidationError');
    // …the next one can, once.
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await verify(token, { code: next })).toBe('MutationVerifySecondFactorSuccess');
    expect(await verify(token, { code: next })).toBe('ValidationError');
    const done = await gql<{ changeUserRole: { __typename: string } }>(
      CHANGE_ROLE,
      { id: target.id },
      { token },
    );
    expect(done.data!.changeUserRole.__typename).toBe('MutationChangeUserRoleSuccess');
  });

  it('refuses a board vote and a researcher export without a second factor', async () => {
    const board = await loginAs(gql, await makeUser(db.db, 'ethics_board'));
    const vote = await gql(
      `mutation($s: ID!) { castVote(input: { studyId: $s, vote: APPROVE, rationale: "fine by me" }) { __typename } }`,
      { s: randomUUID() },
      { token: board },
    );
    expect(codeOf(vote)).toBe('MFA_REQUIRED');
    const researcher = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const exported = await gql(
      `mutation($g: ID!) { createExport(grantId: $g) { __typename } }`,
      { g: randomUUID() },
      { token: researcher },
    );
    expect(codeOf(exported)).toBe('STEP_UP_REQUIRED');
    // A researcher's other work needs no second factor.
    expect(
      codeOf(await gql(`{ myNotifications { __typename } }`, {}, { token: researcher })),
    ).toBeUndefined();
  });

  it('accepts each recovery code once', async () => {
    const admin = await makeUser(db.db, 'admin');
    const token = await loginAs(gql, admin);
    const { recovery } = await enrol(token);
    const second = await loginAs(gql, admin);
    expect(await verify(second, { recoveryCode: recovery[0] })).toBe(
      'MutationVerifySecondFactorSuccess',
    );
    const third = await loginAs(gql, admin);
    expect(await verify(third, { recoveryCode: recovery[0] })).toBe('ValidationError');
  });

  it('locks the second factor after too many wrong codes, and audits it', async () => {
    const admin = await makeUser(db.db, 'admin');
    const token = await loginAs(gql, admin);
    const { secret } = await enrol(token);
    const other = await loginAs(gql, admin);
    const answers: string[] = [];
    for (let i = 0; i < MAX_TOTP_FAILURES; i += 1)
      answers.push(await verify(other, { code: '000000' }));
    expect(answers).toEqual([
      ...Array(MAX_TOTP_FAILURES - 1).fill('ValidationError'),
      'RateLimitedError',
    ]);
    // Locked: even the right code is refused now.
    const right = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await verify(other, { code: right })).toBe('RateLimitedError');
    const events = await db.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, admin.id))
      .orderBy(asc(auditEvents.seq));
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === 'mfa.verify_failed')).toHaveLength(MAX_TOTP_FAILURES - 1);
    expect(actions).toContain('mfa.locked');
  });
});
