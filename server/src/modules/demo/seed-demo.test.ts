import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { datasets } from '../datasets/datasets.tables.js';
import { phenotypeObservations, samples } from '../datasets/ingest/ingest.tables.js';
import { users } from '../accounts/accounts.tables.js';
import { auditActionWording } from '../audit/audit-actions.js';
import { auditEvents } from '../audit/audit.tables.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { exportMembers, grants } from '../grants/grants.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import { participants } from '../participants/participants.tables.js';
import { reviewVotes } from '../review/review.tables.js';
import { consentRequests, studies } from '../studies/studies.tables.js';
import { listCareTeams } from '../record/care-team.service.js';
import { clinicianAuthorisationFor } from '../record/clinician-authorisation.service.js';
import { recordEntriesOf } from '../record/record-reads.service.js';
import { DEMO_ACCOUNTS, DEMO_CARE_TEAM, DEMO_CLINICIAN } from './demo-accounts.js';
import { seedDemo } from './seed-demo.js';

/**
 * The demo patient must be in the reference panel, or no demo study ever asks them and the
 * participant's inbox stays empty in the demo.
 */
describe(`the demo seed (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const started = performance.now();
    await seedDemo(db.db);
    // A figure, not an assertion: how long the demo takes to seed on this machine.
    console.info(`demo seeded in ${Math.round(performance.now() - started)} ms`);
  }, 180_000);
  afterAll(async () => {
    await db.dispose();
  });

  it('puts the demo patient in the Population Reference Panel with a few phenotypes', async () => {
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    expect(patient?.userId).toBeTruthy();
    const [panel] = await db.db
      .select()
      .from(datasets)
      .where(eq(datasets.name, 'Population Reference Panel'));
    const held = await db.db
      .select({ datasetId: samples.datasetId })
      .from(samples)
      .where(eq(samples.participantId, patient!.id));
    expect(held.map((s) => s.datasetId)).toEqual([panel!.id]);
    const terms = await db.db
      .select({ term: phenotypeObservations.term, present: phenotypeObservations.present })
      .from(phenotypeObservations)
      .where(eq(phenotypeObservations.participantId, patient!.id));
    expect(terms.map((t) => t.term).sort()).toEqual(['HP:0000098', 'HP:0000822', 'HP:0002099']);
    expect(terms.every((t) => t.present)).toBe(true);
  });

  it('records differing consents given at collection: broad, specific, re-contact for each use', async () => {
    const rows = await db.db
      .select({
        name: datasets.name,
        kind: datasets.collectionConsent,
        codes: datasets.collectionDuoCodes,
      })
      .from(datasets);
    expect(Object.fromEntries(rows.map((r) => [r.name, [r.kind, r.codes]]))).toEqual({
      'Colorectal Cancer Genomes': ['specific', ['DS']],
      'Rare Disease Exomes': ['broad_hmb', []],
      'Population Reference Panel': ['recontact_each_use', []],
    });
  });

  it('has the workflow in motion: one study under review with one vote, one approved with a grant and an export including the demo patient, a pending request for the patient', async () => {
    const rows = await db.db.select().from(studies).orderBy(studies.createdAt);
    expect(rows.map((r) => [r.title, r.status])).toEqual([
      ['Asthma and lung function genetics', 'approved'],
      ['Everyday health in the reference panel', 'under_review'],
      ['Sleep and asthma in the reference panel', 'institution_review'],
    ]);
    const [approved, underReview] = rows;
    expect(
      await db.db.select().from(reviewVotes).where(eq(reviewVotes.studyId, underReview!.id)),
    ).toHaveLength(1);
    const [grant] = await db.db.select().from(grants).where(eq(grants.studyId, approved!.id));
    expect(grant?.status).toBe('active');
    // A renewal due within the month, so the renewal pages have something to show.
    const renewalIn = grant!.renewalDueAt.getTime() - Date.now();
    expect(renewalIn).toBeGreaterThan(0);
    expect(renewalIn).toBeLessThan(30 * 86_400_000);
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    const included = await db.db
      .select()
      .from(exportMembers)
      .where(eq(exportMembers.participantId, patient!.id));
    expect(included).toHaveLength(1);
    const pending = await db.db
      .select()
      .from(consentRequests)
      .where(
        and(
          eq(consentRequests.participantId, patient!.id),
          eq(consentRequests.studyId, underReview!.id),
        ),
      );
    expect(pending.map((r) => r.status)).toEqual(['pending']);
  });

  it('gives the demo patient self-reported entries and a clinician authorised to read and append', async () => {
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    const [clinician] = await db.db
      .select()
      .from(users)
      .where(eq(users.email, DEMO_CLINICIAN.email));
    expect(clinician).toMatchObject({ role: 'clinician', institution: 'Demo Hospital' });
    await db.db.transaction(async (tx) => {
      const entries = await recordEntriesOf(tx, patient!.id, { withPrivate: true });
      expect(entries.map((e) => [e.source, e.code]).sort()).toEqual([
        ['self_report', 'HP:0001250'],
        ['self_report', 'height'],
        ['self_report', 'smoking_status'],
      ]);
      for (const right of ['read', 'append'] as const)
        await expect(
          clinicianAuthorisationFor(tx, clinician!.id, patient!.id, right),
        ).resolves.toMatchObject({ canRead: true, canAppend: true, careTeamId: null });
      // The demo care team has the clinician as its member, and is offered to the patient.
      const teams = await listCareTeams(tx, { kind: 'system', name: 'test' });
      expect(teams).toEqual([
        expect.objectContaining({
          ...DEMO_CARE_TEAM,
          members: [{ name: DEMO_CLINICIAN.displayName, email: DEMO_CLINICIAN.email }],
        }),
      ]);
    });
  });

  it('leaves a notification for every demo account', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const [row] = await db.db
        .select({ n: sql<number>`count(*)` })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(eq(users.email, account.email));
      expect(Number(row!.n), account.email).toBeGreaterThan(0);
    }
  });

  it('words every action it audited, and the trail verifies', async () => {
    const actions = await db.db.selectDistinct({ action: auditEvents.action }).from(auditEvents);
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => auditActionWording(a.action) === null)).toEqual([]);
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});
