import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PUBLIC_URL,
  completeApplication,
  mutate,
  openAccessFixture,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { dataUseAgreementAcceptances } from '../dacs/data-use-agreements.tables.js';
import { libraryCards } from '../signing-officials/library-cards.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import { institutionReviews } from './institution-review.tables.js';
import { studies, studyElections } from './studies.tables.js';
import { studyFilesRoute } from './study-files.route.js';

/**
 * The institution's step before the committees: the signing official approves, returns or turns
 * down a request; the PI and the official accept each committee's current data use agreement;
 * a library card stands in for a fresh approval. Through the real API on a demo-seeded database.
 */
describe(`signing officials, data use agreements and library cards (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let pi: { id: string; token: string };
  let panelDac: { id: string; agreementId: string };

  beforeAll(async () => {
    f = await openAccessFixture();
    // A researcher of the demo SO's institution without a card and without any acceptance yet.
    const user = await makeUser(f.db.db, 'researcher', ' demo  university');
    pi = { id: user.id, token: await loginAs(f.gql, user) };
    const res = await f.gql<{ dacs: { id: string; name: string; agreement: { id: string } }[] }>(
      `{ dacs { id name agreement { id } } }`,
      {},
      { token: f.tokens.admin },
    );
    const dac = res.data!.dacs.find((d) => d.name === 'Population Panel DAC')!;
    panelDac = { id: dac.id, agreementId: dac.agreement.id };
  }, 180_000);
  afterAll(() => f.dispose());

  async function draft(token = pi.token): Promise<string> {
    const created = await mutate(f, token, 'createStudy(input: $input)', 'id', {
      input: {
        title: 'Night-time symptoms and genes',
        laySummary: 'We look at why some people cough more at night, to improve advice on care.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 },
        datasetIds: [f.panelId],
      },
    });
    const id = (created.data as { id: string }).id;
    await completeApplication(f, token, id);
    return id;
  }
  const submit = (id: string, token = pi.token) =>
    mutate(f, token, 'submitStudy(id: $id)', 'status', { id });
  const accept = (agreementId: string, token: string) =>
    mutate(f, token, 'acceptDataUseAgreement(agreementId: $agreementId)', 'version', {
      agreementId,
    });
  const approveAsSo = (studyId: string, token = f.tokens.so) =>
    mutate(f, token, 'approveRequestAsSigningOfficial(studyId: $studyId)', 'status', { studyId });
  async function stateOf(studyId: string) {
    const [study] = await f.db.db.select().from(studies).where(eq(studies.id, studyId));
    const [elections] = await f.db.db
      .select({ n: count() })
      .from(studyElections)
      .where(eq(studyElections.studyId, studyId));
    const reviews = await f.db.db
      .select()
      .from(institutionReviews)
      .where(eq(institutionReviews.studyId, studyId));
    return { status: study!.status, elections: elections!.n, reviews: reviews.length };
  }

  it('refuses a submission until the PI accepted the committee’s current agreement; nothing changes', async () => {
    const id = await draft();
    const refused = await submit(id);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fieldErrors![0]).toMatchObject({ field: 'dataUseAgreements' });
    expect(refused.fieldErrors![0]!.message).toContain('Population Panel DAC (version 1)');
    expect(await stateOf(id)).toEqual({ status: 'draft', elections: 0, reviews: 0 });
  });

  it('sends a submission without a card to the SO, whom the committees do not see yet', async () => {
    expect((await accept(panelDac.agreementId, pi.token)).__typename).toBe(
      'MutationAcceptDataUseAgreementSuccess',
    );
    const id = await draft();
    const sent = await submit(id);
    expect(sent).toMatchObject({ data: { status: 'INSTITUTION_REVIEW' } });
    expect(await stateOf(id)).toEqual({ status: 'institution_review', elections: 0, reviews: 0 });
    // The board does not see it; the SO's queue does, and the SO was told.
    const board = await f.gql(
      `query($id: ID!) { study(id: $id) { id } }`,
      { id },
      {
        token: f.tokens.ethics,
      },
    );
    expect(board.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const queue = await f.gql<{ signingOfficialQueue: { id: string }[] }>(
      `{ signingOfficialQueue { id } }`,
      {},
      { token: f.tokens.so },
    );
    expect(queue.data!.signingOfficialQueue.map((s) => s.id)).toContain(id);
    const told = await f.db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, 'signing_official_needed'));
    expect(told.some((n) => n.body.includes('Night-time symptoms'))).toBe(true);
  });

  it('refuses the SO of another institution: nothing changes, and the refusal is audited', async () => {
    const id = await draft();
    await submit(id);
    const stranger = await loginAs(
      f.gql,
      await makeUser(f.db.db, 'signing_official', 'Elsewhere Institute'),
    );
    await accept(panelDac.agreementId, stranger);
    const before = await stateOf(id);
    const refused = await approveAsSo(id, stranger);
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await stateOf(id)).toEqual(before);
    expect(before.status).toBe('institution_review');
    const queue = await f.gql<{ signingOfficialQueue: { id: string }[] }>(
      `{ signingOfficialQueue { id } }`,
      {},
      { token: stranger },
    );
    expect(queue.data!.signingOfficialQueue).toEqual([]);
    const refusals = await auditEventsWithAction(f.db.db, 'study.institution.approve.refused');
    expect(refusals.some((e) => e.targetId === id)).toBe(true);
  });

  it('the SO reads the full request and its PDF, audited; an SO of another institution is refused and nothing is recorded', async () => {
    const id = await draft();
    await submit(id);
    const pdf = (token: string) =>
      studyFilesRoute(f.db.db).handler(
        new Request(`${FIXTURE_PUBLIC_URL}/api/studies/${id}/request.pdf`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        {},
      );
    const readsOf = async () => [
      (await auditEventsWithAction(f.db.db, 'study.application.read')).filter(
        (e) => e.targetId === id,
      ),
      (await auditEventsWithAction(f.db.db, 'study.request_pdf.read')).filter(
        (e) => e.targetId === id,
      ),
    ];
    const queue = await f.gql<{
      signingOfficialQueue: {
        id: string;
        application: { completeSections: number; totalSections: number; pdfPath: string } | null;
      }[];
    }>(
      `{ signingOfficialQueue { id application { completeSections totalSections pdfPath } } }`,
      {},
      { token: f.tokens.so },
    );
    const mine = queue.data!.signingOfficialQueue.find((s) => s.id === id)!;
    expect(mine.application).toMatchObject({ pdfPath: `/api/studies/${id}/request.pdf` });
    expect(mine.application!.completeSections).toBe(mine.application!.totalSections);
    const printed = await pdf(f.tokens.so);
    expect(printed.status).toBe(200);
    expect(new TextDecoder().decode((await printed.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const [apps, pdfs] = await readsOf();
    expect(apps).toHaveLength(1);
    expect(pdfs).toHaveLength(1);
    expect(apps![0]!.actorRole).toBe('signing_official');

    // Another institution's official: not found, and no read is recorded.
    const stranger = await loginAs(
      f.gql,
      await makeUser(f.db.db, 'signing_official', 'Elsewhere Institute'),
    );
    expect((await pdf(stranger)).status).toBe(404);
    const theirs = await f.gql<{ signingOfficialQueue: { id: string }[] }>(
      `{ signingOfficialQueue { id } }`,
      {},
      { token: stranger },
    );
    expect(theirs.data!.signingOfficialQueue.map((s) => s.id)).not.toContain(id);
    expect(await readsOf()).toEqual([apps, pdfs]);
    // Nor may the SO read the documents: those are for the requester and the committees.
    const doc = await studyFilesRoute(f.db.db).handler(
      new Request(`${FIXTURE_PUBLIC_URL}/api/studies/${id}/documents/${id}`, {
        headers: { authorization: `Bearer ${f.tokens.so}` },
      }),
      {},
    );
    expect(doc.status).toBe(404);
  });

  it('refuses an old agreement version once a new one is published, and holds the request until both accept the new one', async () => {
    const id = await draft();
    await submit(id);
    // Only an administrator or the chair publishes; ethics2 is a member, not the chair.
    const text =
      'Version two: the data stays on the approved cloud and incidents are reported in 24 hours.';
    const byMember = await mutate(
      f,
      f.tokens.ethics2,
      'publishDataUseAgreement(dacId: $dacId, text: $text)',
      'version',
      { dacId: panelDac.id, text },
    );
    expect(byMember.__typename).toBe('ForbiddenError');
    const published = await mutate(
      f,
      f.tokens.ethics,
      'publishDataUseAgreement(dacId: $dacId, text: $text)',
      'id version',
      { dacId: panelDac.id, text },
    );
    const v2 = published.data as { id: string; version: number };
    expect(v2.version).toBe(2);
    // Accepting version 1 now is refused, and records nothing.
    const acceptancesBefore = await f.db.db
      .select({ n: count() })
      .from(dataUseAgreementAcceptances);
    const old = await accept(panelDac.agreementId, f.tokens.so);
    expect(old).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(old.message).toContain('replaced by version 2');
    expect(await f.db.db.select({ n: count() }).from(dataUseAgreementAcceptances)).toEqual(
      acceptancesBefore,
    );
    // The SO cannot send it on while the PI's acceptance is of version 1.
    const blocked = await approveAsSo(id);
    expect(blocked.__typename).toBe('ValidationError');
    expect(blocked.fieldErrors![0]!.message).toContain('principal investigator');
    expect(await stateOf(id)).toMatchObject({ status: 'institution_review', elections: 0 });
    await accept(v2.id, pi.token);
    const soMissing = await approveAsSo(id);
    expect(soMissing.fieldErrors![0]!.message).toMatch(/^You must accept/);
    await accept(v2.id, f.tokens.so);
    const approved = await approveAsSo(id);
    expect(approved).toMatchObject({ data: { status: 'SUBMITTED' } });
    expect(await stateOf(id)).toEqual({ status: 'submitted', elections: 1, reviews: 1 });
    // Each acceptance is audited with the version and the text's digest (anchored with its batch).
    const events = await auditEventsWithAction(f.db.db, 'dua.accept');
    const payloads = events.map((e) => JSON.parse(String(e.payload)) as Record<string, unknown>);
    const mine = payloads.filter((p) => p.agreementId === v2.id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ version: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(mine)).not.toContain('Version two');
    panelDac.agreementId = v2.id;
  });

  it('returns a request to the researcher, or turns it down, with a reason they read', async () => {
    const returnedId = await draft();
    await submit(returnedId);
    const noReason = await mutate(
      f,
      f.tokens.so,
      'returnRequestToResearcher(studyId: $studyId, reason: $reason)',
      'status',
      { studyId: returnedId, reason: ' ' },
    );
    expect(noReason.__typename).toBe('ValidationError');
    expect(await stateOf(returnedId)).toMatchObject({ status: 'institution_review', reviews: 0 });
    const back = await mutate(
      f,
      f.tokens.so,
      'returnRequestToResearcher(studyId: $studyId, reason: $reason)',
      'status',
      { studyId: returnedId, reason: 'Name the cloud you will use in the security plan.' },
    );
    expect(back).toMatchObject({ data: { status: 'DRAFT' } });
    const seen = await f.gql<{
      study: {
        institutionReviews: { decision: string; reason: string; signingOfficial: string }[];
      };
    }>(
      `query($id: ID!) { study(id: $id) { institutionReviews { decision reason signingOfficial } } }`,
      { id: returnedId },
      { token: pi.token },
    );
    expect(seen.data!.study.institutionReviews).toEqual([
      {
        decision: 'RETURNED',
        reason: 'Name the cloud you will use in the security plan.',
        signingOfficial: 'Sol Signer',
      },
    ]);
    // Resubmitted, it waits for the SO again.
    expect(await submit(returnedId)).toMatchObject({ data: { status: 'INSTITUTION_REVIEW' } });

    const rejectedId = await draft();
    await submit(rejectedId);
    const no = await mutate(
      f,
      f.tokens.so,
      'rejectRequestAsSigningOfficial(studyId: $studyId, reason: $reason)',
      'status decisionRationale',
      { studyId: rejectedId, reason: 'Outside what our institution may sign for.' },
    );
    expect(no).toMatchObject({
      data: { status: 'REJECTED', decisionRationale: 'Outside what our institution may sign for.' },
    });
    expect(await stateOf(rejectedId)).toEqual({ status: 'rejected', elections: 0, reviews: 1 });
  });

  it('with a library card, a submission skips the SO step; revoked, it waits again', async () => {
    // The card stands for the SO's acceptance too: refused until the SO accepted every current agreement.
    const clinical = await f.gql<{
      dataUseAgreements: { id: string; acceptedByMe: string | null }[];
    }>(`{ dataUseAgreements { id acceptedByMe } }`, {}, { token: f.tokens.so });
    expect(clinical.data!.dataUseAgreements.every((a) => a.acceptedByMe)).toBe(true);
    const expiresAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
    // An SO cannot issue a card to a researcher of another institution.
    const outsider = await makeUser(f.db.db, 'researcher', 'Elsewhere Institute');
    const refused = await mutate(
      f,
      f.tokens.so,
      'issueLibraryCard(researcherId: $researcherId, expiresAt: $expiresAt)',
      'id',
      { researcherId: outsider.id, expiresAt },
    );
    expect(refused.__typename).toBe('ForbiddenError');
    const past = await mutate(
      f,
      f.tokens.so,
      'issueLibraryCard(researcherId: $researcherId, expiresAt: $expiresAt)',
      'id',
      { researcherId: pi.id, expiresAt: new Date(Date.now() - 1000).toISOString() },
    );
    expect(past.__typename).toBe('ValidationError');
    expect(
      await f.db.db.select().from(libraryCards).where(eq(libraryCards.researcherId, pi.id)),
    ).toEqual([]);
    const issued = await mutate(
      f,
      f.tokens.so,
      'issueLibraryCard(researcherId: $researcherId, expiresAt: $expiresAt)',
      'id valid',
      { researcherId: pi.id, expiresAt },
    );
    const card = issued.data as { id: string; valid: boolean };
    expect(card.valid).toBe(true);
    const id = await draft();
    expect(await submit(id)).toMatchObject({ data: { status: 'SUBMITTED' } });
    const [review] = await f.db.db
      .select()
      .from(institutionReviews)
      .where(eq(institutionReviews.studyId, id));
    expect(review).toMatchObject({ decision: 'library_card', libraryCardId: card.id });

    const revoked = await mutate(f, f.tokens.so, 'revokeLibraryCard(cardId: $cardId)', 'valid', {
      cardId: card.id,
    });
    expect(revoked).toMatchObject({ data: { valid: false } });
    const after = await draft();
    expect(await submit(after)).toMatchObject({ data: { status: 'INSTITUTION_REVIEW' } });
  });

  it('refuses a submission when the researcher’s institution has no signing official; nothing changes', async () => {
    const alone = await makeUser(f.db.db, 'researcher', 'Lonely Institute');
    const token = await loginAs(f.gql, alone);
    await accept(panelDac.agreementId, token);
    const id = await draft(token);
    const refused = await submit(id, token);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fieldErrors![0]!.message).toContain('no signing official');
    expect(await stateOf(id)).toEqual({ status: 'draft', elections: 0, reviews: 0 });
  });
});
