import { gunzipSync } from 'node:zlib';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../lib/logger.js';
import {
  FIXTURE_PUBLIC_URL,
  approve,
  askedParticipants,
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
  answerRequest,
  approvedStudyWithGrant,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { fetchExportFile } from '../../test/export-fixture.js';
import { notificationsOf } from '../../test/notifications-of.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { beaconRoute } from '../beacon/beacon-route.js';
import { deliverPendingMail } from '../notifications/mail-delivery.js';
import { logMailPort, type MailMessage } from '../notifications/mail-port.js';
import { notify } from '../notifications/notify.js';
import { studies } from '../studies/studies.tables.js';
import { sweepGrants } from './grants.service.js';
import { dataExports, grants } from './grants.tables.js';
import { passportVisaChecker } from './passport-visa-checker.js';
import { passportBrokerRoute } from './passport/passport-broker.route.js';
import { verifyPassport } from './passport/verify-passport.js';

describe(`grants, review rules, passports and notifications (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  const researcherNotifications = () => notificationsOf(f.db.db, 'researcher@demo.local');

  it('a member taking part in a study cannot vote on it; approving a denied match needs an override reason; a withdrawn request takes no votes', async () => {
    // Commercial use of a dataset whose data use says NCU: the DUO match denies it.
    const studyId = await submittedStudy(f, {
      purpose: { primary: 'HMB', commercial: true },
      collaborators: ['ethics2@demo.local'],
    });
    const vote = (token: string, input: Record<string, unknown>) =>
      mutate(f, token, 'castVote(input: $vote)', 'status', { vote: { studyId, ...input } });
    expect(
      await vote(f.tokens.ethics2, { vote: 'APPROVE', rationale: 'I like it.' }),
    ).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('take part') });
    const noOverride = await vote(f.tokens.ethics, { vote: 'APPROVE', rationale: 'Fine by me.' });
    expect(noOverride).toMatchObject({ __typename: 'ValidationError' });
    expect(noOverride.fieldErrors?.map((e) => e.field)).toEqual(['overrideReason']);
    expect(await auditEventsWithAction(f.db.db, 'review.vote.refused')).toHaveLength(2);
    expect(await auditEventsWithAction(f.db.db, 'review.vote')).toHaveLength(0);
    const overridden = await vote(f.tokens.ethics, {
      vote: 'APPROVE',
      rationale: 'Commercial partner is a hospital spin-off.',
      overrideReason: 'The steward confirmed the NCU term was recorded in error.',
    });
    expect(overridden.data).toMatchObject({ status: 'UNDER_REVIEW' });
    const [voteEvent] = await auditEventsWithAction(f.db.db, 'review.vote');
    expect(voteEvent!.payload).toContain('"override":true');
    expect(
      (await mutate(f, f.tokens.researcher, 'withdrawStudy(id: $id)', 'status', { id: studyId }))
        .data,
    ).toMatchObject({ status: 'WITHDRAWN' });
    expect(
      await vote(f.tokens.ethics2, { vote: 'REJECT', rationale: 'Too late to matter anyway.' }),
    ).toMatchObject({ __typename: 'ConflictError' });
  });

  it('the passport carries a ControlledAccessGrants visa per granted dataset, the Beacon counts per dataset with it, and revocation ends both at once', async () => {
    const { studyId, grantId } = await approvedStudyWithGrant(f, {
      criteria: { datasets: [f.panelId], sex: 'male', ageMin: 30, ageMax: 50 },
      participants: 2,
    });
    const broker = passportBrokerRoute(f.db.db, FIXTURE_PUBLIC_URL);
    const passportOf = async () => {
      const res = await broker.handler(
        new Request(`${FIXTURE_PUBLIC_URL}/ga4gh/passport/v1`, {
          headers: { authorization: `Bearer ${f.tokens.researcher}` },
        }),
        {},
      );
      return ((await res.json()) as { passport: string }).passport;
    };
    const passport = await passportOf();
    const verified = await verifyPassport(f.db.db, passport, { issuer: FIXTURE_PUBLIC_URL });
    expect(verified.ok).toBe(true);
    const grantsVisas = verified.ok
      ? verified.visas.filter((v) => v.visa.type === 'ControlledAccessGrants')
      : [];
    expect(grantsVisas.map((v) => v.visa.value)).toEqual([
      `${FIXTURE_PUBLIC_URL}/datasets/${f.panelId}`,
    ]);

    const beacon = beaconRoute({
      db: f.db.db,
      counter: f.services.counter,
      visas: passportVisaChecker(f.db.db, FIXTURE_PUBLIC_URL),
    });
    const ask = async (token: string) => {
      const res = await beacon.handler(
        new Request(
          `${FIXTURE_PUBLIC_URL}/api/beacon/individuals?requestedGranularity=count&includeResultsetResponses=ALL`,
          { headers: { authorization: `Bearer ${token}` } },
        ),
        {},
      );
      return (await res.json()) as { response?: { resultSets?: { id: string }[] } };
    };
    expect((await ask(passport)).response?.resultSets?.map((s) => s.id)).toEqual([f.panelId]);
    // A disabled account's visas open nothing, while the grant itself stays as it was.
    await f.db.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.email, 'researcher@demo.local'));
    expect((await ask(passport)).response?.resultSets ?? []).toEqual([]);
    await f.db.db
      .update(users)
      .set({ disabledAt: null })
      .where(eq(users.email, 'researcher@demo.local'));
    expect((await ask(passport)).response?.resultSets?.map((s) => s.id)).toEqual([f.panelId]);

    const revoked = await mutate(
      f,
      f.tokens.ethics,
      'revokeGrant(grantId: $grantId, reason: $reason)',
      'status',
      {
        grantId,
        reason: 'Publication condition was breached.',
      },
    );
    expect(revoked.data).toMatchObject({ status: 'REVOKED' });
    // The same signed passport no longer opens anything, and a new one has no grant visa.
    expect((await ask(passport)).response?.resultSets ?? []).toEqual([]);
    const after = await verifyPassport(f.db.db, await passportOf(), { issuer: FIXTURE_PUBLIC_URL });
    expect(after.ok && after.visas.some((v) => v.visa.type === 'ControlledAccessGrants')).toBe(
      false,
    );
    const [study] = await f.db.db.select().from(studies).where(eq(studies.id, studyId));
    expect(study!.status).toBe('revoked');
  });

  it('tells the grantee 30 days before expiry once, then expires the grant and its study', async () => {
    const studyId = await submittedStudy(f, {
      criteria: { datasets: [f.panelId], sex: 'female', ageMin: 20, ageMax: 35 },
    });
    const grantId = await approve(f, studyId);
    const [grant] = await f.db.db.select().from(grants).where(eq(grants.id, grantId));
    const expiry = grant!.expiresAt.getTime();
    // TS absent: the default of 12 months.
    expect(Math.round((expiry - grant!.issuedAt.getTime()) / 86_400_000)).toBeGreaterThanOrEqual(
      365,
    );
    expect(await sweepGrants(f.db.db, new Date(expiry - 31 * 86_400_000))).toEqual({
      expired: 0,
      noticed: 0,
    });
    expect(await sweepGrants(f.db.db, new Date(expiry - 29 * 86_400_000))).toEqual({
      expired: 0,
      noticed: 1,
    });
    expect(await sweepGrants(f.db.db, new Date(expiry - 28 * 86_400_000))).toEqual({
      expired: 0,
      noticed: 0,
    });
    expect(await sweepGrants(f.db.db, new Date(expiry + 1_000))).toEqual({
      expired: 1,
      noticed: 0,
    });
    const [ended] = await f.db.db.select().from(grants).where(eq(grants.id, grantId));
    const [study] = await f.db.db.select().from(studies).where(eq(studies.id, studyId));
    expect([ended!.status, study!.status]).toEqual(['expired', 'expired']);
    const kinds = (await researcherNotifications()).map((n) => n.kind);
    expect(kinds.filter((k) => k === 'grant_expiring')).toHaveLength(1);
    expect(kinds).toContain('grant_ended');
    expect(await auditEventsWithAction(f.db.db, 'grant.expire')).toHaveLength(1);
  });

  it('a participant who withdraws after an export is told which study received their data, the grantee is told, and the next export leaves them out', async () => {
    const studyId = await submittedStudy(f, {
      criteria: { datasets: [f.panelId], sex: 'male', ageMin: 55, ageMax: 75 },
    });
    const asked = await askedParticipants(f, studyId, 3);
    const answer = (p: (typeof asked)[number], decision: 'PERMIT' | 'DENY') =>
      answerRequest(f, p, decision);
    await answer(asked[0]!, 'PERMIT');
    await answer(asked[1]!, 'PERMIT');
    const grantId = await approve(f, studyId);
    // A yes after the approval still counts: exports follow the live consent.
    await answer(asked[2]!, 'PERMIT');
    const exportCount = async () =>
      (
        await mutate(
          f,
          f.tokens.researcher,
          'createExport(grantId: $grantId)',
          'participantCount',
          {
            grantId,
          },
        )
      ).data;
    expect(await exportCount()).toMatchObject({ participantCount: 3 });
    const [latest] = await f.db.db
      .select()
      .from(dataExports)
      .where(eq(dataExports.grantId, grantId))
      .orderBy(desc(dataExports.createdAt))
      .limit(1);
    const download = await fetchExportFile(f, latest!.id, 'vcf');
    expect(download.status).toBe(200);
    expect(gunzipSync(Buffer.from(await download.arrayBuffer())).toString()).toMatch(
      /^##fileformat=VCFv4\.3/,
    );
    const downloads = (await auditEventsWithAction(f.db.db, 'export.download')).filter(
      (e) => e.participantId !== null,
    );
    expect(downloads.map((e) => e.participantId).sort()).toEqual(
      asked.map((p) => p.participantId).sort(),
    );
    const told = async () =>
      (await researcherNotifications()).filter((n) => n.kind === 'participant_withdrew').length;
    const before = await told();
    const res = await f.gql<{ withdrawConsent: { data?: { studiesThatReceivedData: string[] } } }>(
      `mutation { withdrawConsent(confirm: true) { ... on MutationWithdrawConsentSuccess { data { studiesThatReceivedData } } } }`,
      {},
      { token: asked[0]!.token },
    );
    expect(res.data!.withdrawConsent.data!.studiesThatReceivedData).toEqual([
      'A study of the fixture',
    ]);
    expect(await told()).toBe(before + 1);
    expect(await exportCount()).toMatchObject({ participantCount: 2 });
    // The late yes turned no: they were never in the grant's cohort, but in its exports.
    await answer(asked[2]!, 'DENY');
    expect(await told()).toBe(before + 2);
    expect(await exportCount()).toMatchObject({ participantCount: 1 });
  });

  it('e-mail: each notification is delivered once; without SMTP the log carries ids only', async () => {
    const sent: MailMessage[] = [];
    const port = {
      kind: 'smtp' as const,
      send: (m: MailMessage) => (sent.push(m), Promise.resolve()),
      close: () => {},
    };
    // Two rounds at once (as two instances would): every mail goes out exactly once.
    const rounds = await Promise.all([
      deliverPendingMail(f.db.db, port, 10_000),
      deliverPendingMail(f.db.db, port, 10_000),
    ]);
    const first = { sent: rounds[0].sent + rounds[1].sent };
    expect(new Set(sent.map((m) => m.notificationId)).size).toBe(sent.length);
    expect(first.sent).toBeGreaterThan(0);
    expect(sent.every((m) => m.to.includes('@') && m.subject.length > 0)).toBe(true);
    expect((await deliverPendingMail(f.db.db, port, 10_000)).sent).toBe(0);

    const [admin] = await f.db.db.select().from(users).where(eq(users.email, 'admin@demo.local'));
    await f.db.db.transaction((tx) =>
      notify(tx, [admin!.id], {
        kind: 'grant_issued',
        title: 'Secret title',
        body: 'Body naming someone',
      }),
    );
    const lines: string[] = [];
    const log: Logger = {
      debug: () => {},
      info: (m, fields) => lines.push(`${m} ${JSON.stringify(fields)}`),
      warn: () => {},
      error: () => {},
    };
    expect((await deliverPendingMail(f.db.db, logMailPort(log))).sent).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/"kind":"grant_issued"/);
    expect(lines[0]).not.toMatch(/@|Secret|someone/);
  });
});
