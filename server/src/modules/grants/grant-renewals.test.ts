import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approve,
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import type { Role } from '../actors/roles.js';
import { notifications } from '../notifications/notifications.tables.js';
import { createLogger } from '../../lib/logger.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { OutboxRelay } from '../chain/outbox-relay.js';
import { countersignCloseout } from './grant-closeouts.service.js';
import { sweepRenewals } from './grant-renewals.service.js';
import { grantCloseouts, grantRenewals, grants } from './grants.tables.js';

const DAY = 86_400_000;

/** A caller whose role may not use the field at all is refused before the service runs. */
async function refused(attempt: Promise<unknown>): Promise<void> {
  await expect(attempt).rejects.toThrow(/FORBIDDEN/);
}

describe(`grant renewals, missed renewals and closeouts (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  const grantRow = async (id: string) =>
    (await f.db.db.select().from(grants).where(eq(grants.id, id)))[0]!;
  const renewalRows = (grantId: string) =>
    f.db.db.select().from(grantRenewals).where(eq(grantRenewals.grantId, grantId));
  const reminders = async (link: string) =>
    (await f.db.db.select().from(notifications).where(eq(notifications.link, link))).filter(
      (n) => n.kind === 'renewal_due',
    );
  const newGrant = async () => approve(f, await submittedStudy(f));
  const report = (grantId: string, extra: Record<string, unknown> = {}) =>
    mutate(f, f.tokens.researcher, 'submitRenewalReport(input: $report)', 'id status', {
      report: {
        grantId,
        workDone: 'We ran the association analysis and wrote up the first results.',
        publications: ['Doe J et al. Asthma loci. Nat Genet 2027.'],
        incidents: null,
        ...extra,
      },
    });
  const reschedule = (token: string, grantId: string, dueAt: Date) =>
    mutate(f, token, 'setRenewalDate(grantId: $grantId, dueAt: $dueAt)', 'renewalDueAt', {
      grantId,
      dueAt: dueAt.toISOString(),
    });

  it('a grant is due for renewal a year after issue; reminders go at 60, 30 and 7 days, once each; a report opens 60 days ahead; the committee renews it for a year', async () => {
    const grantId = await newGrant();
    const issued = await grantRow(grantId);
    expect(issued.renewalDueAt.getTime() - issued.issuedAt.getTime()).toBeGreaterThan(364 * DAY);

    // Too early: the report opens 60 days before the renewal date. Nothing is written.
    expect(await report(grantId)).toMatchObject({ __typename: 'ConflictError' });
    expect(await renewalRows(grantId)).toHaveLength(0);

    // Only the committee sets an earlier date, and only between now and the expiry.
    await refused(reschedule(f.tokens.researcher, grantId, new Date(Date.now() + 45 * DAY)));
    const past = await reschedule(f.tokens.ethics, grantId, new Date(Date.now() - DAY));
    expect(past.fieldErrors?.map((e) => e.field)).toEqual(['dueAt']);
    expect((await grantRow(grantId)).renewalDueAt).toEqual(issued.renewalDueAt);
    const due = new Date(Date.now() + 45 * DAY);
    expect(await reschedule(f.tokens.ethics, grantId, due)).toMatchObject({
      __typename: 'MutationSetRenewalDateSuccess',
    });

    const link = `/grants/${grantId}/renewal`;
    await sweepRenewals(f.db.db);
    expect(await reminders(link)).toHaveLength(1); // 45 days left: the 60-day reminder
    await sweepRenewals(f.db.db);
    expect(await reminders(link)).toHaveLength(1); // once
    await sweepRenewals(f.db.db, new Date(due.getTime() - 20 * DAY));
    expect(await reminders(link)).toHaveLength(2); // the 30-day one
    await sweepRenewals(f.db.db, new Date(due.getTime() - 3 * DAY));
    expect(await reminders(link)).toHaveLength(3); // the 7-day one
    expect((await grantRow(grantId)).renewalRemindersSent).toBe(3);

    // Bad reports change nothing.
    const bad = await report(grantId, { workDone: 'Stuff.', publications: [''] });
    expect(bad.fieldErrors?.map((e) => e.field).sort()).toEqual(['publications.0', 'workDone']);
    await refused(
      mutate(f, f.tokens.ethics, 'submitRenewalReport(input: $report)', 'id', {
        report: { grantId, workDone: 'x'.repeat(30), publications: [] },
      }),
    );
    expect(await renewalRows(grantId)).toHaveLength(0);
    expect(await auditEventsWithAction(f.db.db, 'grant.renewal.submit')).toHaveLength(0);

    const sent = await report(grantId, { incidents: 'A laptop was lost; the disk was encrypted.' });
    expect(sent.data).toMatchObject({ status: 'SUBMITTED' });
    const renewalId = (sent.data as { id: string }).id;
    expect(await report(grantId)).toMatchObject({ __typename: 'ConflictError' });

    const decide = (token: string, decision: string, note: string | null) =>
      mutate(
        f,
        token,
        'decideRenewal(renewalId: $renewalId, decision: $renewalDecision, note: $note)',
        'status',
        { renewalId, renewalDecision: decision, note },
      );
    // Not renewing needs a reason; an admin does not decide. Nothing changes.
    const noReason = await decide(f.tokens.ethics, 'NOT_RENEW', null);
    expect(noReason.fieldErrors?.map((e) => e.field)).toEqual(['note']);
    await refused(decide(f.tokens.admin, 'RENEW', null));
    expect((await renewalRows(grantId))[0]!.status).toBe('submitted');
    expect((await grantRow(grantId)).status).toBe('active');
    const renewalEvent = `grant:${grantId}:renewal:1`;
    expect(
      await f.db.db.select().from(chainOutbox).where(eq(chainOutbox.eventId, renewalEvent)),
    ).toHaveLength(0);

    expect((await decide(f.tokens.ethics2, 'RENEW', 'Good progress.')).data).toMatchObject({
      status: 'RENEWED',
    });
    const renewed = await grantRow(grantId);
    expect(renewed.renewalDueAt.getTime() - due.getTime()).toBeGreaterThan(364 * DAY);
    expect(renewed.expiresAt.getTime()).toBeGreaterThanOrEqual(renewed.renewalDueAt.getTime());
    expect(renewed.renewalRemindersSent).toBe(0);
    expect(await decide(f.tokens.ethics, 'RENEW', null)).toMatchObject({
      __typename: 'ConflictError',
    });

    // The new expiry goes on chain as the grant's first renewal record, beside the grant's own.
    const relay = new OutboxRelay(f.db.db, f.embedded.ledger, createLogger('silent'));
    expect((await relay.drain()).failed).toBe(0);
    const original = await f.embedded.ledger.grant(grantId);
    const onChain = await f.embedded.ledger.grant(`${grantId}:renewal:1`);
    expect(onChain).toMatchObject({
      event_id: renewalEvent,
      study_id: renewed.studyId,
      cohort_root: renewed.cohortRoot,
      expiry: Math.floor(renewed.expiresAt.getTime() / 1000),
    });
    expect(Number(onChain!.expiry)).toBeGreaterThan(Number(original!.expiry));
    const seen = await f.gql<{ grant: { expiryChainRecord: { eventId: string } | null } }>(
      `query($id: ID!) { grant(id: $id) { expiryChainRecord { eventId } } }`,
      { id: grantId },
      { token: f.tokens.researcher },
    );
    expect(seen.data!.grant.expiryChainRecord).toEqual({ eventId: renewalEvent });
  });

  it('a missed renewal is flagged by the sweep and the committee revokes the grant; not on time, not by the grantee', async () => {
    const grantId = await newGrant();
    const due = new Date(Date.now() + 10 * DAY);
    await reschedule(f.tokens.ethics, grantId, due);
    const revoke = (token: string) =>
      mutate(f, token, 'revokeForMissedRenewal(grantId: $grantId)', 'status endReason', {
        grantId,
      });
    expect(await revoke(f.tokens.ethics)).toMatchObject({ __typename: 'ConflictError' });
    expect((await grantRow(grantId)).status).toBe('active');

    await sweepRenewals(f.db.db, new Date(due.getTime() + DAY));
    const flagged = await grantRow(grantId);
    expect(flagged.renewalOverdueAt).not.toBeNull();
    const overdueNotices = await f.db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, 'renewal_overdue'));
    // The grantee and both committee members.
    expect(
      overdueNotices.filter((n) => n.body.includes(due.toISOString().slice(0, 10))).length,
    ).toBeGreaterThanOrEqual(3);

    const toReview = await f.gql<{
      renewalsToReview: { overdue: { id: string }[]; upcoming: { id: string }[] };
    }>(`{ renewalsToReview { overdue { id } upcoming { id } } }`, {}, { token: f.tokens.ethics });
    expect(toReview.data!.renewalsToReview.overdue.map((g) => g.id)).toContain(grantId);
    expect(toReview.data!.renewalsToReview.upcoming.map((g) => g.id)).not.toContain(grantId);
    await refused(revoke(f.tokens.researcher));
    const revoked = await revoke(f.tokens.ethics);
    expect(revoked.data).toMatchObject({
      status: 'REVOKED',
      endReason: expect.stringContaining('missed its renewal'),
    });
  });

  it('closing out needs the investigator’s attestation that the data was destroyed; it ends the grant; the signing official countersigns', async () => {
    const grantId = await newGrant();
    const closeOut = (token: string, extra: Record<string, unknown> = {}) =>
      mutate(f, token, 'closeOutGrant(input: $closeout)', 'destroyedOn countersignedAt', {
        closeout: {
          grantId,
          destroyedOn: new Date().toISOString().slice(0, 10),
          statement: 'Deleted from the analysis server and its two backups with shred.',
          attestDestroyed: true,
          ...extra,
        },
      });
    const future = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
    const bad = await closeOut(f.tokens.researcher, {
      attestDestroyed: false,
      statement: 'gone',
    });
    expect(bad.fieldErrors?.map((e) => e.field).sort()).toEqual(['attestDestroyed', 'statement']);
    const later = await closeOut(f.tokens.researcher, { destroyedOn: future });
    expect(later.fieldErrors?.map((e) => e.field)).toEqual(['destroyedOn']);
    await refused(closeOut(f.tokens.ethics));
    expect(
      await f.db.db.select().from(grantCloseouts).where(eq(grantCloseouts.grantId, grantId)),
    ).toHaveLength(0);
    expect((await grantRow(grantId)).status).toBe('active');

    expect((await closeOut(f.tokens.researcher)).data).toMatchObject({ countersignedAt: null });
    expect((await grantRow(grantId)).status).toBe('closed_out');
    expect(await closeOut(f.tokens.researcher)).toMatchObject({ __typename: 'ConflictError' });

    // The countersignature hook: nobody without the signing-official role.
    expect(
      await mutate(f, f.tokens.admin, 'countersignCloseout(grantId: $grantId)', 'countersignedAt', {
        grantId,
      }),
    ).toMatchObject({ __typename: 'ForbiddenError' });
    const [admin] = await f.db.db.select().from(users).where(eq(users.email, 'admin@demo.local'));
    const official = {
      kind: 'user' as const,
      userId: admin!.id,
      role: 'signing_official' as Role, // the role the signing-officials work adds
      sessionId: null,
    };
    const signed = await f.db.db.transaction((tx) => countersignCloseout(tx, official, grantId));
    expect(signed.countersignedAt).toBeInstanceOf(Date);
    await expect(
      f.db.db.transaction((tx) => countersignCloseout(tx, official, grantId)),
    ).rejects.toThrow(/already/);
    expect(await auditEventsWithAction(f.db.db, 'grant.closeout.countersign')).toHaveLength(1);
  });
});
