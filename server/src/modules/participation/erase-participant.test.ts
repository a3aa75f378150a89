import { eq, sql } from 'drizzle-orm';
import { passwordResetTokens, sessions } from '../accounts/accounts.tables.js';
import { sessionAuth } from '../identity/identity.tables.js';
import { recordSessionMethod } from '../identity/session-methods.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { auditEvents } from '../audit/audit.tables.js';
import { chainOutbox, participantChainKeys } from '../chain/chain.tables.js';
import { subjectOf } from '../chain/subject-pseudonym.js';
import { phenotypeObservations, samples } from '../datasets/ingest/ingest.tables.js';
import { DEMO_PASSWORD } from '../demo/demo-accounts.js';
import { seedDemo } from '../demo/seed-demo.js';
import { participants } from '../participants/participants.tables.js';

const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { count } }`;
const PLAN = `{ erasurePlan { participantId confirmationPhrase willErase cannotErase { what why } } }`;
const ERASE = `mutation($c: String!) { eraseParticipant(confirmation: $c) {
  __typename ... on MutationEraseParticipantSuccess { data { auditSeq auditHash
  phenotypesDeleted genotypeCallsDeleted accountDeleted studiesAskedToDelete cannotErase { what } } }
  ... on ValidationError { message } } }`;

describe(`erasure on request (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  const tokens: Record<string, string> = {};
  const login = async (email: string) => {
    const res = await gql<{ login: { data?: { token: string } } }>(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
        ... on MutationLoginSuccess { data { token } } } }`,
      { e: email, p: DEMO_PASSWORD },
    );
    return res.data?.login.data?.token ?? null;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.db);
    // Exact counts, so "one fewer" is visible.
    gql = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 0, noiseRange: 0, budgetPerDay: 10_000 } }),
    );
    for (const role of ['patient', 'steward', 'researcher', 'admin'])
      tokens[role] = (await login(`${role}@demo.local`))!;
  }, 180_000);
  afterAll(() => db.dispose());

  it('shows the plan, refuses a wrong phrase, then erases everything personal at once', async () => {
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    const [key] = await db.db
      .select()
      .from(participantChainKeys)
      .where(eq(participantChainKeys.participantId, patient!.id));
    const subject = subjectOf(key!.secret, patient!.id);
    const count = async () =>
      (
        await gql<{ cohortCount: { count: number } }>(
          COUNT,
          { c: { sex: patient!.sex } },
          { token: tokens.researcher },
        )
      ).data!.cohortCount.count;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    // Rows other modules keep about the account must not stop its erasure: how a session was
    // opened (identity) and a pending password-reset link (accounts).
    const [session] = await db.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, patient!.userId!));
    await db.db.transaction((tx) =>
      recordSessionMethod(tx, session!.id, { amr: ['hwk', 'mfa'], multiFactor: true }),
    );
    const reset = await gql(`mutation { requestPasswordReset(email: "patient@demo.local") {
      ... on MutationRequestPasswordResetSuccess { data } } }`);
    expect(reset.errors).toBeUndefined();
    expect(await db.db.$count(passwordResetTokens)).toBe(1);

    const plan = await gql<{
      erasurePlan: { confirmationPhrase: string; cannotErase: { what: string }[] };
    }>(PLAN, {}, { token: tokens.patient });
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.erasurePlan.confirmationPhrase).toBe('erase P-DEMO0001');
    expect(plan.data!.erasurePlan.cannotErase.map((c) => c.what)).toEqual(
      expect.arrayContaining([
        'The audit trail of who used your data',
        'Data already exported to “Asthma and lung function genetics”',
      ]),
    );

    const wrong = await gql<{ eraseParticipant: { __typename: string } }>(
      ERASE,
      { c: 'erase someone' },
      { token: tokens.patient },
    );
    expect(wrong.data!.eraseParticipant.__typename).toBe('ValidationError');
    expect((await gql(`{ myParticipant { id } }`, {}, { token: tokens.patient })).errors).toBe(
      undefined,
    );
    expect(await count()).toBe(before);

    const done = await gql<{
      eraseParticipant: {
        __typename: string;
        data: {
          auditSeq: number;
          phenotypesDeleted: number;
          accountDeleted: boolean;
          studiesAskedToDelete: string[];
        };
      };
    }>(ERASE, { c: 'erase P-DEMO0001' }, { token: tokens.patient });
    expect(done.errors).toBeUndefined();
    expect(done.data!.eraseParticipant.data).toMatchObject({
      phenotypesDeleted: 3,
      accountDeleted: true,
      studiesAskedToDelete: ['Asthma and lung function genetics'],
    });
    // The grantee is told to delete and confirms.
    const inbox = await gql<{ myNotifications: { items: { kind: string; link: string }[] } }>(
      `{ myNotifications { items { kind link } } }`,
      {},
      { token: tokens.researcher },
    );
    const ask = inbox.data!.myNotifications.items.find((n) => n.kind === 'deletion_requested');
    expect(ask?.link).toMatch(/^\/grants\//);
    const confirmed = await gql<{ confirmDataDeletion: { __typename: string } }>(
      `mutation($g: ID!) { confirmDataDeletion(grantId: $g) { __typename } }`,
      { g: ask!.link.split('/')[2] },
      { token: tokens.researcher },
    );
    expect(confirmed.data!.confirmDataDeletion.__typename).toBe(
      'MutationConfirmDataDeletionSuccess',
    );

    // Counts drop by one at once.
    expect(await count()).toBe(before - 1);
    // The participant is signed out for good.
    const me = await gql(`{ myParticipant { id } }`, {}, { token: tokens.patient });
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await login('patient@demo.local')).toBeNull();
    // No role finds them.
    const list = await gql<{ participants: { items: { id: string; pseudonym: string }[] } }>(
      `{ participants(limit: 200) { items { id pseudonym } } }`,
      {},
      { token: tokens.steward },
    );
    expect(list.data!.participants.items.map((p) => p.pseudonym)).not.toContain('P-DEMO0001');
    const record = list.data!.participants.items.find((p) => p.id === patient!.id);
    expect(record?.pseudonym ?? 'ERASED-').toMatch(/^ERASED-/);
    const accounts = await gql<{ users: { email: string }[] }>(
      `{ users { email } }`,
      {},
      { token: tokens.admin },
    );
    expect(accounts.data!.users.map((u) => u.email)).not.toContain('patient@demo.local');
    const [row] = await db.db.select().from(participants).where(eq(participants.id, patient!.id));
    expect(row).toMatchObject({ sex: 'unknown', birthYear: null, userId: null });
    expect(await db.db.select().from(users).where(eq(users.email, 'patient@demo.local'))).toEqual(
      [],
    );
    expect(await db.db.$count(passwordResetTokens)).toBe(0);
    expect(
      await db.db.select().from(sessionAuth).where(eq(sessionAuth.sessionId, session!.id)),
    ).toEqual([]);
    expect(
      await db.db
        .select()
        .from(phenotypeObservations)
        .where(eq(phenotypeObservations.participantId, patient!.id)),
    ).toEqual([]);
    expect(
      await db.db.select().from(samples).where(eq(samples.participantId, patient!.id)),
    ).toEqual([]);

    // The chain records stay, but the key that ties them to this participant is gone.
    const onChain = await db.db
      .select({ n: sql<number>`count(*)` })
      .from(chainOutbox)
      .where(sql`${chainOutbox.item}::text like ${`%${subject}%`}`);
    expect(Number(onChain[0]!.n)).toBeGreaterThan(0);
    expect(
      await db.db
        .select()
        .from(participantChainKeys)
        .where(eq(participantChainKeys.participantId, patient!.id)),
    ).toEqual([]);
    const keys = await db.db.select().from(participantChainKeys);
    expect(keys.some((k) => subjectOf(k.secret, patient!.id) === subject)).toBe(false);

    // The audit trail keeps the erasure, pseudonymous, and still verifies.
    const [erased] = await db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.seq, done.data!.eraseParticipant.data.auditSeq));
    expect(erased).toMatchObject({ action: 'participant.erase', participantId: patient!.id });
    expect(erased!.payload).not.toContain('P-DEMO0001');
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });

  it('refuses erasure to roles that may not ask for it', async () => {
    const res = await gql(
      `{ erasurePlan(participantId: "00000000-0000-4000-8000-000000000000") { participantId } }`,
      {},
      { token: tokens.researcher },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
