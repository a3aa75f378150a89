import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../accounts/accounts.tables.js';
import { auditEvents } from '../audit/audit.tables.js';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import {
  errorCode,
  loginAs,
  makeUser,
  secondFactorConfig,
  testConfig,
  useTestApi,
} from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { sessionAuth, staffPasskeyChallenges, staffPasskeys } from './identity.tables.js';

const fx = useTestApi(secondFactorConfig());
const rp = testConfig().webauthn;

const REG_OPTIONS = `mutation { staffPasskeyRegistrationOptions {
  __typename ... on MutationStaffPasskeyRegistrationOptionsSuccess { data } ... on Error { message } } }`;
const ADD = `mutation($r: String!, $n: String!) { addStaffPasskey(response: $r, name: $n) {
  __typename ... on MutationAddStaffPasskeySuccess { data { passkey { id name } recoveryCodes } }
  ... on Error { message } } }`;
const ASSERT_OPTIONS = `mutation { passkeySecondFactorOptions {
  __typename ... on MutationPasskeySecondFactorOptionsSuccess { data } ... on Error { message } } }`;
const VERIFY = `mutation($r: String!) { verifySecondFactorWithPasskey(response: $r) {
  __typename ... on Error { message } } }`;
const RENAME = `mutation($id: ID!, $n: String!) { renameStaffPasskey(id: $id, name: $n) {
  __typename ... on MutationRenameStaffPasskeySuccess { data { id name } } ... on Error { code message } } }`;
const REMOVE = `mutation($id: ID!) { removeStaffPasskey(id: $id) {
  __typename ... on MutationRemoveStaffPasskeySuccess { data { id name } } ... on Error { code message } } }`;
const CHANGE_ROLE = `mutation($id: ID!) { changeUserRole(input: { userId: $id, role: steward }) { __typename } }`;

/** Registers `device` as a second-factor passkey of the token's user. */
async function addKey(token: string, device: SoftAuthenticator, name = 'Security key') {
  const options = await fx.gql<{ staffPasskeyRegistrationOptions: { data: string } }>(
    REG_OPTIONS,
    {},
    { token },
  );
  const { challenge } = JSON.parse(options.data!.staffPasskeyRegistrationOptions.data) as {
    challenge: string;
  };
  const added = await fx.gql<{
    addStaffPasskey: {
      __typename: string;
      data?: { passkey: { id: string }; recoveryCodes: string[] };
      message?: string;
    };
  }>(ADD, { r: JSON.stringify(device.register(challenge)), n: name }, { token });
  return added.data!.addStaffPasskey;
}

/** A fresh second-factor challenge for the token's session. */
async function assertionChallenge(token: string): Promise<string> {
  const options = await fx.gql<{ passkeySecondFactorOptions: { data: string } }>(
    ASSERT_OPTIONS,
    {},
    { token },
  );
  return (JSON.parse(options.data!.passkeySecondFactorOptions.data) as { challenge: string })
    .challenge;
}

async function verifyWith(token: string, response: unknown): Promise<string> {
  const res = await fx.gql<{ verifySecondFactorWithPasskey: { __typename: string } }>(
    VERIFY,
    { r: JSON.stringify(response) },
    { token },
  );
  return res.data!.verifySecondFactorWithPasskey.__typename;
}

async function amrOf(token: string): Promise<string[]> {
  const res = await fx.gql<{ mySecondFactor: { amr: string[] } }>(
    `{ mySecondFactor { amr } }`,
    {},
    { token },
  );
  return res.data!.mySecondFactor.amr;
}

describe(`staff passkeys as a second factor (${TEST_DRIVER})`, () => {
  it('lets a board member enrol a passkey instead of TOTP, then sign in with password + passkey', async () => {
    const board = await makeUser(fx.db.db, 'ethics_board');
    const first = await loginAs(fx.gql, board);
    expect(errorCode(await fx.gql(`{ users { id } }`, {}, { token: first }))).toBe('MFA_REQUIRED');
    // Confirming one's e-mail address is allowed before the second factor (it reaches the check).
    const early = await fx.gql<{ verifyEmail: { __typename: string } }>(
      `mutation { verifyEmail(token: "not-a-real-token-but-long-enough") { __typename } }`,
      {},
      { token: first },
    );
    expect(early.data!.verifyEmail.__typename).toBe('ValidationError');
    const device = new SoftAuthenticator(rp);
    const added = await addKey(first, device);
    expect(added.__typename).toBe('MutationAddStaffPasskeySuccess');
    expect(added.data!.recoveryCodes).toHaveLength(10);
    const status = await fx.gql<{ mySecondFactor: Record<string, unknown> }>(
      `{ mySecondFactor { enrolled totp passkeys required amr } }`,
      {},
      { token: first },
    );
    expect(status.data!.mySecondFactor).toEqual({
      enrolled: true,
      totp: false,
      passkeys: 1,
      required: true,
      amr: ['pwd', 'pop'],
    });

    // A new sign-in: the password alone is not enough; the passkey is.
    const token = await loginAs(fx.gql, board);
    expect(errorCode(await fx.gql(`{ myStaffPasskeys { id } }`, {}, { token }))).toBeUndefined();
    expect(errorCode(await fx.gql(`{ studies { id } }`, {}, { token }))).toBe('MFA_REQUIRED');
    const challenge = await assertionChallenge(token);
    expect(await verifyWith(token, device.assert(challenge))).toBe(
      'MutationVerifySecondFactorWithPasskeySuccess',
    );
    expect(await amrOf(token)).toEqual(['pwd', 'pop']);
    expect(errorCode(await fx.gql(`{ studies { id } }`, {}, { token }))).toBeUndefined();
    const events = await fx.db.db
      .select({ action: auditEvents.action, payload: auditEvents.payload })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, board.id));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['mfa.passkey.add', 'mfa.verify']),
    );
    expect(events.some((e) => e.action === 'mfa.verify' && e.payload.includes('"passkey"'))).toBe(
      true,
    );
  });

  it('accepts a fresh passkey assertion as a step-up, and refuses the action called directly without one', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const target = await makeUser(fx.db.db, 'researcher');
    const token = await loginAs(fx.gql, admin);
    const device = new SoftAuthenticator(rp);
    await addKey(token, device);
    await fx.db.db.update(sessionAuth).set({ mfaAt: new Date(Date.now() - 6 * 60_000) });
    const refused = await fx.gql(CHANGE_ROLE, { id: target.id }, { token });
    expect(errorCode(refused)).toBe('STEP_UP_REQUIRED');
    const [before] = await fx.db.db.select().from(users).where(eq(users.id, target.id));
    expect(before!.role).toBe('researcher');
    expect(await verifyWith(token, device.assert(await assertionChallenge(token)))).toBe(
      'MutationVerifySecondFactorWithPasskeySuccess',
    );
    const done = await fx.gql<{ changeUserRole: { __typename: string } }>(
      CHANGE_ROLE,
      { id: target.id },
      { token },
    );
    expect(done.data!.changeUserRole.__typename).toBe('MutationChangeUserRoleSuccess');
  });

  it('refuses another user’s passkey, a replayed assertion and a stale challenge, and audits each', async () => {
    const alice = await makeUser(fx.db.db, 'admin');
    const bob = await makeUser(fx.db.db, 'admin');
    const aliceKey = new SoftAuthenticator(rp);
    const bobKey = new SoftAuthenticator(rp);
    await addKey(await loginAs(fx.gql, alice), aliceKey);
    await addKey(await loginAs(fx.gql, bob), bobKey);

    const session = await loginAs(fx.gql, alice);
    // Bob's key answering Alice's challenge.
    expect(await verifyWith(session, bobKey.assert(await assertionChallenge(session)))).toBe(
      'ValidationError',
    );
    // A good assertion works once; sent again it is refused (the challenge is spent).
    const good = aliceKey.assert(await assertionChallenge(session));
    expect(await verifyWith(session, good)).toBe('MutationVerifySecondFactorWithPasskeySuccess');
    const other = await loginAs(fx.gql, alice);
    expect(await verifyWith(other, good)).toBe('ValidationError');
    expect(await verifyWith(session, good)).toBe('ValidationError');
    // A challenge issued to one session cannot prove another.
    const forFirst = await assertionChallenge(session);
    expect(await verifyWith(other, aliceKey.assert(forFirst))).toBe('ValidationError');
    // An expired challenge.
    const stale = await assertionChallenge(other);
    await fx.db.db
      .update(staffPasskeyChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(staffPasskeyChallenges.challenge, stale));
    expect(await verifyWith(other, aliceKey.assert(stale))).toBe('ValidationError');
    expect(await amrOf(other)).toEqual(['pwd']);
    expect(errorCode(await fx.gql(`{ users { id } }`, {}, { token: other }))).toBe('MFA_REQUIRED');
    const failures = await fx.db.db
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, alice.id), eq(auditEvents.action, 'mfa.verify_failed')));
    expect(failures.map((f) => JSON.parse(f.payload).reason as string).sort()).toEqual([
      'passkey_not_your_passkey',
      'passkey_stale_challenge',
      'passkey_stale_challenge',
      'passkey_stale_challenge',
      'passkey_stale_challenge',
    ]);
  });

  it('does not let a password-only session add a factor once one exists; recovery codes still work', async () => {
    const admin = await makeUser(fx.db.db, 'admin');
    const first = await loginAs(fx.gql, admin);
    const added = await addKey(first, new SoftAuthenticator(rp));
    const recovery = added.data!.recoveryCodes;
    const thief = await loginAs(fx.gql, admin);
    const options = await fx.gql(REG_OPTIONS, {}, { token: thief });
    expect(
      (options.data as { staffPasskeyRegistrationOptions: { __typename: string } })
        .staffPasskeyRegistrationOptions.__typename,
    ).toBe('ConflictError');
    const totp = await fx.gql<{ startTotpEnrolment: { __typename: string } }>(
      `mutation { startTotpEnrolment { __typename } }`,
      {},
      { token: thief },
    );
    expect(totp.data!.startTotpEnrolment.__typename).toBe('ConflictError');
    const used = await fx.gql<{ verifySecondFactor: { __typename: string } }>(
      `mutation($r: String) { verifySecondFactor(recoveryCode: $r) { __typename } }`,
      { r: recovery[0] },
      { token: thief },
    );
    expect(used.data!.verifySecondFactor.__typename).toBe('MutationVerifySecondFactorSuccess');
    expect(await amrOf(thief)).toEqual(['pwd', 'rcode']);
    // Having proved a factor, the session may add a second key (no new recovery codes).
    const second = await addKey(thief, new SoftAuthenticator(rp), 'Spare');
    expect(second.__typename).toBe('MutationAddStaffPasskeySuccess');
    expect(second.data!.recoveryCodes).toEqual([]);
  });

  it('renames and removes only the user’s own passkey, each audited; another user’s key is untouched', async () => {
    type KeyPayload = { __typename: string; data?: { id: string; name: string }; code?: string };
    const rename = (token: string, id: string, n: string) =>
      fx.gql<{ renameStaffPasskey: KeyPayload }>(RENAME, { id, n }, { token });
    const remove = (token: string, id: string) =>
      fx.gql<{ removeStaffPasskey: KeyPayload }>(REMOVE, { id }, { token });
    const nameOf = async (id: string) =>
      (
        await fx.db.db
          .select({ name: staffPasskeys.name })
          .from(staffPasskeys)
          .where(eq(staffPasskeys.id, id))
      )[0]?.name;
    const alice = await makeUser(fx.db.db, 'admin');
    const bob = await makeUser(fx.db.db, 'admin');
    // Each session that enrols its first key has proved it (amr pwd + pop).
    const aliceToken = await loginAs(fx.gql, alice);
    const bobToken = await loginAs(fx.gql, bob);
    const aliceKey = (await addKey(aliceToken, new SoftAuthenticator(rp), 'Laptop')).data!.passkey
      .id;
    await addKey(bobToken, new SoftAuthenticator(rp), 'Phone');

    const renamed = await rename(aliceToken, aliceKey, 'Desk key');
    expect(renamed.data?.renameStaffPasskey).toEqual({
      __typename: 'MutationRenameStaffPasskeySuccess',
      data: { id: aliceKey, name: 'Desk key' },
    });
    expect(await nameOf(aliceKey)).toBe('Desk key');

    // Bob cannot rename or remove Alice's key: it is "not found" to him, and stays as it was.
    expect((await rename(bobToken, aliceKey, 'Mine now')).data?.renameStaffPasskey.code).toBe(
      'NOT_FOUND',
    );
    expect((await remove(bobToken, aliceKey)).data?.removeStaffPasskey.code).toBe('NOT_FOUND');
    expect(await nameOf(aliceKey)).toBe('Desk key');

    // A session that signed in with the password alone cannot take a factor away.
    const passwordOnly = await loginAs(fx.gql, alice);
    const early = await remove(passwordOnly, aliceKey);
    expect(errorCode(early)).toBe('MFA_REQUIRED');
    expect(await nameOf(aliceKey)).toBe('Desk key');

    const removed = await remove(aliceToken, aliceKey);
    expect(removed.data?.removeStaffPasskey).toEqual({
      __typename: 'MutationRemoveStaffPasskeySuccess',
      data: { id: aliceKey, name: 'Desk key' },
    });
    expect(await nameOf(aliceKey)).toBeUndefined();

    const audited = async (actorId: string) =>
      (
        await fx.db.db
          .select({
            action: auditEvents.action,
            targetId: auditEvents.targetId,
            payload: auditEvents.payload,
          })
          .from(auditEvents)
          .where(eq(auditEvents.actorId, actorId))
          .orderBy(auditEvents.seq)
      )
        .filter((e) => e.action === 'mfa.passkey.rename' || e.action === 'mfa.passkey.remove')
        .map((e) => ({ ...e, payload: JSON.parse(e.payload) as unknown }));
    expect(await audited(alice.id)).toEqual([
      { action: 'mfa.passkey.rename', targetId: alice.id, payload: { passkey: aliceKey } },
      { action: 'mfa.passkey.remove', targetId: alice.id, payload: { passkey: aliceKey } },
    ]);
    expect(await audited(bob.id)).toEqual([]);
  });

  it('keeps participants to their own chain-anchored passkeys', async () => {
    const participant = await makeUser(fx.db.db, 'participant');
    const token = await loginAs(fx.gql, participant);
    expect(errorCode(await fx.gql(`{ myStaffPasskeys { id } }`, {}, { token }))).toBe('FORBIDDEN');
  });
});
