import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import { createGraphQLServer } from '../../http/yoga.js';
import {
  FIXTURE_PUBLIC_URL,
  askedParticipants,
  mutate,
  openAccessFixture,
  signIn,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { answerActingFor, parentOfMinorTurningEighteen } from '../../test/representation.js';
import { makeUser, loginAs, testConfig, TEST_PASSWORD } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { paperConsentRecords } from '../assisted-consent/assisted-consent.tables.js';
import { auditEvents } from '../audit/audit.tables.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { consentPreferences } from '../consent/consent.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { participantRepresentatives, participants } from '../participants/participants.tables.js';
import { endLapsedRepresentations } from '../participants/representation.service.js';
import { studyDecisions } from '../studies/studies.tables.js';

const PDF = () => new File(['%PDF-1.4\n% a signed paper form\n%%EOF\n'], 'form.pdf');

const RECORD = `mutation($p: ID!, $d: PaperDecisionInput!, $v: String!, $on: String!, $w: String!, $scan: File) {
  recordPaperConsent(participantId: $p, decision: $d, formVersion: $v, signedOn: $on, witnessName: $w, scan: $scan) {
    __typename
    ... on MutationRecordPaperConsentSuccess { data { enrolmentId preferences { version signedWith purposes { hmb } }
      paperRecords { kind institution formVersion signedOn witnessName scanSha256 } } }
    ... on Error { code message }
    ... on ValidationError { fieldErrors { field message } } } }`;

const FIND = `query($e: String!) { participantAtMySite(enrolmentId: $e) { __typename
  ... on QueryParticipantAtMySiteSuccess { data { id enrolmentId status requests { id } representatives { representativeName endReason } } }
  ... on Error { code message } } }`;

const prefs = (hmb: string) => consentPreferencesInput({ hmb, poa: 'DENY', commercial: 'DENY' });

const today = () => new Date().toISOString().slice(0, 10);

/** Issue #16 item 6: staff-assisted (paper) consent and legally authorised representatives. */
describe(`staff-assisted and proxy consent (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let yoga: ReturnType<typeof createGraphQLServer>;
  let coordinator = '';
  let demoTeen = '';

  /** A GraphQL multipart request (the scan is a file), as the portal sends it. */
  const upload = async (token: string, variables: Record<string, unknown>, scan: File | null) => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: RECORD, variables: { ...variables, scan: null } }),
    );
    form.append('map', JSON.stringify(scan ? { '0': ['variables.scan'] } : {}));
    if (scan) form.append('0', scan);
    const res = await yoga.fetch('http://test.local/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await res.json()) as {
      data?: { recordPaperConsent: Record<string, unknown> & { __typename: string } };
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return body;
  };
  const participantId = async (pseudonym: string) =>
    (
      await f.db.db
        .select({ id: participants.id })
        .from(participants)
        .where(eq(participants.pseudonym, pseudonym))
    )[0]!.id;
  const paperRecordsOf = (pid: string) =>
    f.db.db.select().from(paperConsentRecords).where(eq(paperConsentRecords.participantId, pid));
  /** What a refused attempt must leave as it was. */
  const footprint = async (pid: string) => {
    const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]!.n);
    return {
      prefs: await n(
        f.db.db
          .select({ n: count() })
          .from(consentPreferences)
          .where(eq(consentPreferences.participantId, pid)),
      ),
      decisions: await n(
        f.db.db
          .select({ n: count() })
          .from(studyDecisions)
          .where(eq(studyDecisions.participantId, pid)),
      ),
      paper: await n(f.db.db.select({ n: count() }).from(paperConsentRecords)),
      outbox: await n(f.db.db.select({ n: count() }).from(chainOutbox)),
      links: await n(f.db.db.select({ n: count() }).from(participantRepresentatives)),
      status: (await f.db.db.select().from(participants).where(eq(participants.id, pid)))[0]!
        .status,
    };
  };

  beforeAll(async () => {
    f = await openAccessFixture();
    yoga = createGraphQLServer(f.db.db, testConfig({ publicUrl: FIXTURE_PUBLIC_URL }), f.services);
    coordinator = await signIn(f.gql, 'coordinator@demo.local');
    demoTeen = await participantId('P-DEMO0002');
  }, 180_000);
  afterAll(async () => {
    await f?.dispose();
  });

  it('finds a participant of their own site by enrolment id, audited on the participant’s trail', async () => {
    const res = await f.gql<{
      participantAtMySite: {
        __typename: string;
        data: {
          id: string;
          enrolmentId: string;
          representatives: { representativeName: string; endReason: string }[];
        };
      };
    }>(FIND, { e: 'P-DEMO0002' }, { token: coordinator });
    expect(res.data?.participantAtMySite.data.id).toBe(demoTeen);
    // The demo's parent is linked until the teenager's majority.
    expect(res.data?.participantAtMySite.data.representatives).toEqual([
      { representativeName: 'Gail Guardian', endReason: 'majority' },
    ]);
    const reads = await f.db.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'coordinator.participant.read'),
          eq(auditEvents.participantId, demoTeen),
        ),
      );
    expect(reads.length).toBe(1);
  });

  it('records a paper decision: institution-attested on chain with the paper record as witness, shown to the participant as recorded by the site', async () => {
    const pid = await participantId('P-DEMO0003');
    const before = await footprint(pid);
    const res = await upload(
      coordinator,
      {
        p: pid,
        d: { kind: 'preferences', preferences: prefs('PERMIT') },
        v: 'PAPER-2026-01',
        on: today(),
        w: 'Nurse Wanda Witness',
      },
      PDF(),
    );
    const payload = res.data!.recordPaperConsent as {
      __typename: string;
      data: {
        preferences: { version: number; signedWith: string | null; purposes: { hmb: string } };
        paperRecords: Record<string, string>[];
      };
    };
    expect(payload.__typename, JSON.stringify(res)).toBe('MutationRecordPaperConsentSuccess');
    expect(payload.data.preferences).toMatchObject({
      version: before.prefs + 1,
      signedWith: null,
      purposes: { hmb: 'PERMIT' },
    });
    const [paper] = payload.data.paperRecords;
    expect(paper).toMatchObject({
      kind: 'preferences',
      institution: 'Demo Hospital Biobank',
      formVersion: 'PAPER-2026-01',
      signedOn: today(),
      witnessName: 'Nurse Wanda Witness',
    });
    expect(paper!.scanSha256).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = await paperRecordsOf(pid);
    expect(stored!.scan.subarray(0, 5).toString()).toBe('%PDF-');

    // On chain: every record carries the institution's proof, witnessed by the paper record.
    const items = await f.db.db
      .select({ item: chainOutbox.item })
      .from(chainOutbox)
      .where(sql`${chainOutbox.id} > ${before.outbox} and ${chainOutbox.kind} = 'consent'`);
    expect(items.length).toBeGreaterThan(0);
    for (const { item } of items)
      expect((item as { proof?: unknown }).proof).toEqual({
        institution: { witness: `paper:${stored!.id}` },
      });
    // Nothing personal on chain: no witness name, no coordinator id.
    expect(JSON.stringify(items)).not.toMatch(/Wanda|coordinator/i);

    // The participant sees who recorded it.
    const email = `paper-${pid.slice(0, 8)}@fixture.local`;
    await f.db.db.transaction(async (tx) => {
      const { code } = await createEnrolmentCode(tx, systemActor('steward'), pid);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'Paper P' });
    });
    const token = await signIn(f.gql, email, TEST_PASSWORD);
    const timeline = await f.gql<{ myTimeline: { action: string; recordedBy: string | null }[] }>(
      `{ myTimeline { action recordedBy } }`,
      {},
      { token },
    );
    const update = timeline.data!.myTimeline.find((e) => e.action === 'consent.preferences.update');
    expect(update?.recordedBy).toBe(
      `recorded by Demo Hospital Biobank (staff) on ${today()}, witnessed`,
    );
  });

  it('refuses, changing nothing: another site’s participant, an unknown form version, no witness, no scan, a non-coordinator', async () => {
    const other = await f.db.db.transaction((tx) =>
      createParticipant(tx, systemActor('import'), { sex: 'female', site: 'Another Hospital' }),
    );
    const mine = await participantId('P-DEMO0004');
    const good = {
      d: { kind: 'preferences', preferences: prefs('DENY') },
      v: 'PAPER-2026-01',
      on: today(),
      w: 'Nurse Wanda Witness',
    };
    const steward = await signIn(f.gql, 'steward@demo.local');
    const cases: [string, string, Record<string, unknown>, File | null, string, string | null][] = [
      ['another site', coordinator, { ...good, p: other.id }, PDF(), 'NOT_FOUND', null],
      [
        'unknown form',
        coordinator,
        { ...good, p: mine, v: 'PAPER-1999-99' },
        PDF(),
        'VALIDATION',
        'formVersion',
      ],
      [
        'no witness',
        coordinator,
        { ...good, p: mine, w: '  ' },
        PDF(),
        'VALIDATION',
        'witnessName',
      ],
      ['no scan', coordinator, { ...good, p: mine }, null, 'VALIDATION', 'scan'],
      [
        'future date',
        coordinator,
        { ...good, p: mine, on: '2999-01-01' },
        PDF(),
        'VALIDATION',
        'signedOn',
      ],
      [
        'not a PDF',
        coordinator,
        { ...good, p: mine },
        new File(['hello'], 'x.txt'),
        'VALIDATION',
        'scan',
      ],
      ['a steward', steward, { ...good, p: mine }, PDF(), 'FORBIDDEN', null],
    ];
    for (const [name, token, vars, scan, code, field] of cases) {
      const beforeOther = await footprint(other.id);
      const beforeMine = await footprint(mine);
      const res = await upload(token, vars, scan);
      const payload = res.data?.recordPaperConsent as
        { code?: string; fieldErrors?: { field: string }[] } | undefined;
      const got = payload?.code ?? res.errors?.[0]?.extensions?.code;
      expect(got, `${name}: ${JSON.stringify(res)}`).toBe(code);
      if (field)
        expect(
          payload?.fieldErrors?.map((e) => e.field),
          name,
        ).toContain(field);
      expect(await footprint(other.id), name).toEqual(beforeOther);
      expect(await footprint(mine), name).toEqual(beforeMine);
    }
    // Nor can a coordinator even find another site's participant.
    const found = await f.gql<{ participantAtMySite: { __typename: string; code?: string } }>(
      FIND,
      { e: other.pseudonym },
      { token: coordinator },
    );
    expect(found.data?.participantAtMySite.code).toBe('NOT_FOUND');
  });

  it('a representative answers a request for the participant, reaches majority, and the participant is asked and confirms (story)', async () => {
    const studyId = await submittedStudy(f);
    const [person] = await askedParticipants(f, studyId, 1);
    const [pseudonym] = await f.db.db
      .select({ p: participants.pseudonym })
      .from(participants)
      .where(eq(participants.id, person!.participantId));
    const found = await f.gql<{ participantAtMySite: { __typename: string } }>(
      FIND,
      { e: pseudonym!.p },
      { token: coordinator },
    );
    expect(found.data?.participantAtMySite.__typename).toBe('QueryParticipantAtMySiteSuccess');
    // The participant turns 18 tomorrow.
    const { parent, parentToken } = await parentOfMinorTurningEighteen(
      f,
      coordinator,
      person!.participantId,
    );

    // The parent sees whom they may act for, and answers the study's request for them.
    const mine = await f.gql<{
      myRepresentedParticipants: { participantId: string; name: string }[];
    }>(`{ myRepresentedParticipants { participantId name } }`, {}, { token: parentToken });
    expect(mine.data?.myRepresentedParticipants.map((r) => r.participantId)).toEqual([
      person!.participantId,
    ]);
    const answer = await answerActingFor(
      f,
      parentToken,
      person!.participantId,
      person!.requestId,
      'PERMIT',
    );
    expect(answer.data?.answerConsentRequest.__typename, JSON.stringify(answer)).toBe(
      'MutationAnswerConsentRequestSuccess',
    );
    const [event] = await f.db.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'consent_request.answer'),
          eq(auditEvents.participantId, person!.participantId),
        ),
      );
    // Audited with both: the representative as actor, the participant as subject.
    expect(event!.actorId).toBe(parent.id);
    expect(JSON.parse(event!.payload).onBehalf).toEqual({ as: 'representative' });
    const [decision] = await f.db.db
      .select()
      .from(studyDecisions)
      .where(eq(studyDecisions.participantId, person!.participantId));
    expect(decision).toMatchObject({ decision: 'permit', signedWith: null });
    const timeline = await f.gql<{ myTimeline: { action: string; recordedBy: string | null }[] }>(
      `{ myTimeline { action recordedBy } }`,
      {},
      { token: person!.token },
    );
    expect(
      timeline.data!.myTimeline.find((e) => e.action === 'consent_request.answer')?.recordedBy,
    ).toBe(`by your representative ${parent.displayName}`);

    // Majority: the worker's round ends the representation and asks the participant.
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(await endLapsedRepresentations(f.db.db, later)).toBeGreaterThanOrEqual(1);
    const [asked] = await f.db.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.kind, 'representation_ended'),
          eq(
            notifications.userId,
            (
              await f.db.db
                .select({ u: participants.userId })
                .from(participants)
                .where(eq(participants.id, person!.participantId))
            )[0]!.u!,
          ),
        ),
      );
    expect(asked?.link).toBe('/consent');

    // The parent can no longer act: refused, nothing changes.
    const before = await footprint(person!.participantId);
    const late = await answerActingFor(
      f,
      parentToken,
      person!.participantId,
      person!.requestId,
      'DENY',
    );
    expect(late.data?.answerConsentRequest.code).toBe('FORBIDDEN');
    expect(await footprint(person!.participantId)).toEqual(before);

    // The participant confirms what was decided for them.
    const toConfirm = await f.gql<{ decisionsToConfirm: { representativeName: string }[] }>(
      `{ decisionsToConfirm { representativeName } }`,
      {},
      { token: person!.token },
    );
    expect(toConfirm.data?.decisionsToConfirm).toEqual([
      { representativeName: parent.displayName },
    ]);
    const confirmed = await f.gql<{
      confirmDecisionsMadeForMe: { __typename: string; data?: number };
    }>(
      `mutation { confirmDecisionsMadeForMe { __typename ... on MutationConfirmDecisionsMadeForMeSuccess { data } ... on Error { code } } }`,
      {},
      { token: person!.token },
    );
    expect(confirmed.data?.confirmDecisionsMadeForMe, JSON.stringify(confirmed)).toEqual({
      __typename: 'MutationConfirmDecisionsMadeForMeSuccess',
      data: 1,
    });
    const again = await f.gql<{ decisionsToConfirm: unknown[] }>(
      `{ decisionsToConfirm { id } }`,
      {},
      { token: person!.token },
    );
    expect(again.data?.decisionsToConfirm).toEqual([]);
  });

  it('refuses a representative acting after the end date, even before the worker round, changing nothing', async () => {
    const guardian = await signIn(f.gql, 'guardian@demo.local');
    const acting = { authorization: `Bearer ${guardian}`, 'x-consentome-acting-for': demoTeen };
    const ok = await f.gql<{ myConsent: { current: { version: number } } }>(
      `{ myConsent { current { version } } }`,
      {},
      { headers: acting },
    );
    expect(ok.errors).toBeUndefined();
    // The home page's record is the represented participant's, and the read is audited for them.
    const home = await f.gql<{ myParticipant: { pseudonym: string } | null }>(
      `{ myParticipant { pseudonym } }`,
      {},
      { headers: acting },
    );
    expect(home.data?.myParticipant?.pseudonym).toBe('P-DEMO0002');
    // The representation's end passes (its end date is yesterday; no worker has run).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await f.db.db
      .update(participantRepresentatives)
      .set({ endsOn: yesterday })
      .where(eq(participantRepresentatives.participantId, demoTeen));
    const before = await footprint(demoTeen);
    const set = await f.gql<{ setConsentPreferences: { code?: string } }>(
      `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename ... on Error { code message } } }`,
      { i: prefs('PERMIT') },
      { headers: acting },
    );
    expect(set.data?.setConsentPreferences.code).toBe('FORBIDDEN');
    expect(await footprint(demoTeen)).toEqual(before);
    // Someone never linked acting for the participant learns nothing.
    const stranger = await loginAs(f.gql, await makeUser(f.db.db, 'participant'));
    const nope = await f.gql<{ myConsent: unknown }>(
      `{ myConsent { current { version } } }`,
      {},
      {
        headers: { authorization: `Bearer ${stranger}`, 'x-consentome-acting-for': demoTeen },
      },
    );
    expect(nope.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('erasure clears the participant’s paper records and representations', async () => {
    const pid = await participantId('P-DEMO0003');
    expect(await paperRecordsOf(pid)).toHaveLength(1);
    const stewardToken = await signIn(f.gql, 'steward@demo.local');
    const erased = await mutate(
      f,
      stewardToken,
      'eraseParticipant(participantId: $id, confirmation: $reason)',
      'accountDeleted',
      {
        id: pid,
        reason: 'erase P-DEMO0003',
      },
    );
    expect(erased.__typename, JSON.stringify(erased)).toBe('MutationEraseParticipantSuccess');
    expect(await paperRecordsOf(pid)).toHaveLength(0);
    const teenToken = await signIn(f.gql, 'sam@demo.local');
    const gone = await f.gql<{ eraseParticipant: { __typename: string } }>(
      `mutation { eraseParticipant(confirmation: "erase P-DEMO0002") { __typename ... on Error { code } } }`,
      {},
      { token: teenToken },
    );
    expect(gone.data?.eraseParticipant.__typename, JSON.stringify(gone)).toBe(
      'MutationEraseParticipantSuccess',
    );
    expect(
      await f.db.db
        .select()
        .from(participantRepresentatives)
        .where(eq(participantRepresentatives.participantId, demoTeen)),
    ).toEqual([]);
  });
});
