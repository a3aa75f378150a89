import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { users } from '../accounts/accounts.tables.js';
import { auditEvents } from '../audit/audit.tables.js';
import {
  errorCode,
  loginAs,
  makeUser,
  secondFactorConfig,
  useTestApi,
} from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { sessionAuth } from './identity.tables.js';
import { MAX_TOTP_FAILURES } from './totp.service.js';

const fx = useTestApi(secondFactorConfig());

async function enrol(token: string): Promise<{ secret: string; code: string; recovery: string[] }> {
  const started = await fx.gql<{
    startTotpEnrolment: { data: { secret: string; otpauthUri: string } };
  }>(
    `mutation { startTotpEnrolment { ... on MutationStartTotpEnrolmentSuccess { data { secret otpauthUri } } } }`,
    {},
    { token },
  );
  const { secret, otpauthUri } = started.data!.startTotpEnrolment.data;
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Consentome:/);
  const code = await generate({ secret });
  const confirmed = await fx.gql<{ confirmTotpEnrolment: { data: string[] } }>(
    `mutation($c: String!) { confirmTotpEnrolment(code: $c) { ... on MutationConfirmTotpEnrolmentSuccess { data } } }`,
    { c: code },
    { token },
  );
  return { secret, code, recovery: confirmed.data!.confirmTotpEnrolment.data };
}

async function verify(token: string, args: { code?: string; recoveryCode?: string }) {
  const res = await fx.gql<{ verifySecondFactor: { __typename: string } }>(
    `mutation($c: String, $r: String) { verifySecondFactor(code: $c, recoveryCode: $r) { __typename } }`,
    { c: args.code ?? null, r: args.recoveryCode ?? null },
    { token },
  );
  return res.data!.verifySecondFactor.__typename;
}

async function ageSecondFactor(token: string): Promise<void> {
  const me = await fx.gql<{ mySecondFactor: { sessionVerifiedAt: string } }>(
    `{ mySecondFactor { sessionVerifiedAt } }`,
    {},
    { token },
  );
  expect(me.data!.mySecondFactor.sessionVerifiedAt).not.toBeNull();
  await fx.db.db.update(sessionAuth).set({ mfaAt: new Date(Date.now() - 6 * 60_000) });
}

const CHANGE_ROLE = `mutation($id: ID!) { changeUserRole(input: { userId: $id, role: steward }) { __typename } }`;

describe(`second factor: TOTP, recovery codes, MFA per role and step-up (${TEST_DRIVER})`, () => {
  it('keeps an admin without a second factor out of everything but setting one up', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const token = await loginAs(fx.gql, admin);
    const listed = await fx.gql(`{ users { id } }`, {}, { token });
    expect(errorCode(listed)).toBe('MFA_REQUIRED');
    expect(listed.data ?? null).toBeNull();
    // Hidden behind a fragment, the field is still found.
    const hidden = await fx.gql(`query { ... on Query { users { id } } }`, {}, { token });
    expect(errorCode(hidden)).toBe('MFA_REQUIRED');
    const [refusal] = await fx.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'users.refused'), eq(auditEvents.actorId, admin.id)));
    expect(JSON.parse(refusal!.payload)).toEqual({ code: 'MFA_REQUIRED' });
    const me = await fx.gql<{
      me: { id: string };
      mySecondFactor: { required: boolean; enrolled: boolean };
    }>(`{ me { id } mySecondFactor { required enrolled } }`, {}, { token });
    expect(me.data!.mySecondFactor).toEqual({ required: true, enrolled: false });
    const { recovery } = await enrol(token);
    expect(recovery).toHaveLength(10);
    expect(errorCode(await fx.gql(`{ users { id } }`, {}, { token }))).toBeUndefined();
    const status = await fx.gql<{ mySecondFactor: { amr: string[]; recoveryCodesLeft: number } }>(
      `{ mySecondFactor { amr recoveryCodesLeft } }`,
      {},
      { token },
    );
    expect(status.data!.mySecondFactor).toEqual({ amr: ['pwd', 'otp'], recoveryCodesLeft: 10 });
  });

  it('asks for a recent second factor before a role change, even when the API is called directly', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const target = await makeUser(fx.db.db, 'researcher');
    const token = await loginAs(fx.gql, admin);
    const { secret, code } = await enrol(token);
    await ageSecondFactor(token);
    const refused = await fx.gql(CHANGE_ROLE, { id: target.id }, { token });
    expect(errorCode(refused)).toBe('STEP_UP_REQUIRED');
    const [row] = await fx.db.db
      .select({ role: users.role })
      .from(users)
      .where(eq(users.id, target.id));
    expect(row!.role).toBe('researcher');
    // The code used at enrolment cannot be used again (the very code, not one generated now:
    // a 30-second step may have begun since)…
    expect(await verify(token, { code })).toBe('ValidationError');
    // …the next one can, once.
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await verify(token, { code: next })).toBe('MutationVerifySecondFactorSuccess');
    expect(await verify(token, { code: next })).toBe('ValidationError');
    const done = await fx.gql<{ changeUserRole: { __typename: string } }>(
      CHANGE_ROLE,
      { id: target.id },
      { token },
    );
    expect(done.data!.changeUserRole.__typename).toBe('MutationChangeUserRoleSuccess');
  });

  it('refuses a board vote and a researcher export without a second factor', async () => {
    const board = await loginAs(fx.gql, await makeUser(fx.db.db, 'ethics_board'));
    const vote = await fx.gql(
      `mutation($s: ID!) { castVote(input: { studyId: $s, vote: APPROVE, rationale: "fine by me" }) { __typename } }`,
      { s: randomUUID() },
      { token: board },
    );
    expect(errorCode(vote)).toBe('MFA_REQUIRED');
    const researcher = await loginAs(fx.gql, await makeUser(fx.db.db, 'researcher'));
    const exported = await fx.gql(
      `mutation($g: ID!) { createExport(grantId: $g) { __typename } }`,
      { g: randomUUID() },
      { token: researcher },
    );
    expect(errorCode(exported)).toBe('STEP_UP_REQUIRED');
    // A researcher's other work needs no second factor.
    expect(
      errorCode(await fx.gql(`{ myNotifications { __typename } }`, {}, { token: researcher })),
    ).toBeUndefined();
  });

  it('accepts each recovery code once', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const token = await loginAs(fx.gql, admin);
    const { recovery } = await enrol(token);
    const second = await loginAs(fx.gql, admin);
    expect(await verify(second, { recoveryCode: recovery[0] })).toBe(
      'MutationVerifySecondFactorSuccess',
    );
    const third = await loginAs(fx.gql, admin);
    expect(await verify(third, { recoveryCode: recovery[0] })).toBe('ValidationError');
  });

  it('locks the second factor after too many wrong codes, and audits it', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const token = await loginAs(fx.gql, admin);
    const { secret } = await enrol(token);
    const other = await loginAs(fx.gql, admin);
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
    const events = await fx.db.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, admin.id))
      .orderBy(asc(auditEvents.seq));
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === 'mfa.verify_failed')).toHaveLength(MAX_TOTP_FAILURES - 1);
    expect(actions).toContain('mfa.locked');
  });
});
