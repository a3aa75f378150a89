import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, gte, lte, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyMemberConsents } from '../../test/study-member-consents.js';
import {
  approve,
  mutate,
  openAccessFixture,
  signIn,
  type AccessFixture,
  completeApplication,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { ingestPhenotypes } from '../datasets/ingest/phenotype-ingest.service.js';
import { samples } from '../datasets/ingest/ingest.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { participants } from '../participants/participants.tables.js';
import { askLateJoiners } from './late-joiners.js';
import { consentRequests } from './studies.tables.js';
import { studyCandidates } from './study-cohort.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import { DEMO_SITE } from '../demo/demo-accounts.js';
import { endLapsedRepresentations } from '../participants/representation.service.js';
import { answerActingFor, parentOfMinorTurningEighteen } from '../../test/representation.js';

const STEWARD = systemActor('steward');
const YEAR = new Date().getUTCFullYear();

/**
 * The story, the part about collection consent and timing: the panel was collected
 * under broad consent, a second dataset under re-contact for each use. A health study over both
 * asks nobody at submission (CONSENT_REQUESTS_WHEN defaults to after_approval); once approved,
 * it asks only the member whose own choice says "ask" (the broad consent covers everyone who
 * never chose); a participant who arrives later in the re-contact dataset is asked by the
 * worker's round, once. She is seventeen: a coordinator links her parent, who answers the
 * request for her; at eighteen the representation ends, she is asked, and she confirms.
 */
describe(`broad consent at collection, then a late joiner asked after approval (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let steward = '';
  let clinicId = '';
  let studyId = '';
  let chooserId = '';
  const requestsOf = async (id: string) =>
    f.db.db.select().from(consentRequests).where(eq(consentRequests.studyId, id));

  beforeAll(async () => {
    f = await openAccessFixture({
      review: { quorum: 2, chairEmail: null, consentRequestsWhen: 'after_approval' },
    });
    steward = await signIn(f.gql, 'steward@demo.local');
  }, 180_000);
  afterAll(() => f.dispose());

  it('the steward records the panel as collected under broad consent, and a re-contact clinic', async () => {
    const set = await mutate(
      f,
      steward,
      'setCollectionConsent(datasetId: $id, collectionConsent: { kind: BROAD_GRU })',
      'collectionConsent { kind }',
      { id: f.panelId },
    );
    expect(set.data).toEqual({ collectionConsent: { kind: 'BROAD_GRU' } });
    const res = await f.gql<{ registerDataset: { data: { id: string } } }>(
      `mutation { registerDataset(input: { name: "Re-contact Clinic", dataUse: { permission: GRU },
        collectionConsent: { kind: RECONTACT_EACH_USE } }) { ... on MutationRegisterDatasetSuccess { data { id } } } }`,
      {},
      { token: steward },
    );
    clinicId = res.data!.registerDataset.data.id;
    expect(clinicId).toBeTruthy();
    // The panel's committee governs the clinic too, so one election decides the study.
    const committees = await f.gql<{ dacs: { id: string; datasets: { id: string }[] }[] }>(
      `{ dacs { id datasets { id } } }`,
      {},
      { token: f.tokens.admin },
    );
    const panelDac = committees.data!.dacs.find((d) => d.datasets.some((x) => x.id === f.panelId))!;
    const assigned = await f.gql<{ assignDacDatasets: { __typename: string } }>(
      `mutation($d: ID!, $ids: [ID!]!) { assignDacDatasets(dacId: $d, datasetIds: $ids) { __typename } }`,
      { d: panelDac.id, ids: [...panelDac.datasets.map((x) => x.id), clinicId] },
      { token: f.tokens.admin },
    );
    expect(assigned.data?.assignDacDatasets.__typename).toBe('MutationAssignDacDatasetsSuccess');
  });

  it('one panel member states their own choice: ask me about every study', async () => {
    const [member] = await f.db.db
      .select({ id: participants.id })
      .from(participants)
      .innerJoin(samples, eq(samples.participantId, participants.id))
      .where(
        and(
          eq(samples.datasetId, f.panelId),
          eq(participants.sex, 'female'),
          gte(participants.birthYear, YEAR - 60),
          lte(participants.birthYear, YEAR - 40),
          ne(participants.pseudonym, 'P-DEMO0001'),
        ),
      )
      .limit(1);
    chooserId = member!.id;
    await f.db.db.transaction(async (tx) => {
      const { code } = await createEnrolmentCode(tx, STEWARD, chooserId);
      await enrolWithCode(tx, {
        code,
        email: 'chooser@fixture.local',
        password: 'participant password',
        displayName: 'C',
      });
    });
    const token = await signIn(f.gql, 'chooser@fixture.local', 'participant password');
    const saved = await f.gql<{ setConsentPreferences: { __typename: string } }>(
      `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename } }`,
      {
        i: {
          purposes: {
            gru: 'PERMIT',
            hmb: 'PERMIT',
            ds: 'PERMIT',
            poa: 'PERMIT',
            methods: 'PERMIT',
            commercial: 'DENY',
          },
          askEachTime: true,
          discoverable: true,
          recontact: false,
        },
      },
      { token },
    );
    if (saved.errors) throw new Error(JSON.stringify(saved.errors));
    expect(saved.data!.setConsentPreferences.__typename).toBe(
      'MutationSetConsentPreferencesSuccess',
    );
  });

  it('submitting asks nobody yet: requests go out after the board approves', async () => {
    const created = await mutate(f, f.tokens.researcher, 'createStudy(input: $input)', 'id', {
      input: {
        title: 'Lung health over two collections',
        laySummary: 'We study how lung health changes with age across two sets of volunteers.',
        purpose: { primary: 'HMB', commercial: false },
        collaborators: [],
        cohortCriteria: { datasets: [f.panelId, clinicId], sex: 'female', ageMin: 17, ageMax: 60 },
        // From 17: the late joiner of the last chapter is a minor.
        datasetIds: [f.panelId, clinicId],
      },
    });
    studyId = (created.data as { id: string }).id;
    await completeApplication(f, f.tokens.researcher, studyId);
    const submitted = await mutate(f, f.tokens.researcher, 'submitStudy(id: $id)', 'status', {
      id: studyId,
    });
    expect(submitted.data).toEqual({ status: 'SUBMITTED' });
    expect(await requestsOf(studyId)).toHaveLength(0);
  });

  it('the broad consent covers those who never chose; the approval asks only the one who said "ask me"', async () => {
    await approve(f, studyId);
    const asked = await requestsOf(studyId);
    expect(asked.map((r) => r.participantId)).toEqual([chooserId]);
    const index = await f.cohorts.current();
    const members = await studyMemberConsents(f.db.db, studyId, (study) =>
      studyCandidates(index, study.cohortCriteria as CohortCriteria, study.datasetIds),
    );
    const byRule = new Map<string, number>();
    for (const m of members) byRule.set(m.rule, (byRule.get(m.rule) ?? 0) + 1);
    expect(byRule.get('collection-yes')).toBeGreaterThan(10);
    expect(byRule.get('collection-ask') ?? 0).toBe(0);
    expect(members.find((m) => m.participantId === chooserId)!.rule).toBe('standing-ask');
  });

  it('a participant who arrives later in the re-contact clinic is asked by the worker round, once', async () => {
    const late = await f.db.db.transaction((tx) =>
      createParticipant(tx, STEWARD, {
        pseudonym: 'P-LATE0001',
        sex: 'female',
        // Seventeen: a parent answers for her until she comes of age (the last chapter).
        birthYear: YEAR - 18,
        site: DEMO_SITE,
      }),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-joiner-'));
    try {
      const file = path.join(dir, 'late.tsv');
      fs.writeFileSync(file, 'participant\tterm\tstatus\nP-LATE0001\tHP:0002099\tpresent\n');
      await ingestPhenotypes(f.db.db, STEWARD, {
        datasetId: clinicId,
        path: file,
        format: 'phenotypes',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await requestsOf(studyId)).map((r) => r.participantId)).not.toContain(late.id);

    const round = await askLateJoiners(f.db.db, await f.cohorts.current(), 'after_approval');
    expect(round.asked).toBe(1);
    const asked = await requestsOf(studyId);
    expect(asked.filter((r) => r.participantId === late.id)).toMatchObject([{ status: 'pending' }]);
    const events = await auditEventsWithAction(f.db.db, 'consent_request.create');
    expect(events.filter((e) => e.participantId === late.id)).toHaveLength(1);

    // The next round asks nobody again.
    expect((await askLateJoiners(f.db.db, await f.cohorts.current(), 'after_approval')).asked).toBe(
      0,
    );
    expect(await requestsOf(studyId)).toHaveLength(asked.length);
  });

  it('the late joiner sees their starting point: re-contact for each use', async () => {
    const [late] = await f.db.db
      .select({ id: participants.id })
      .from(participants)
      .where(eq(participants.pseudonym, 'P-LATE0001'));
    await f.db.db.transaction(async (tx) => {
      const { code } = await createEnrolmentCode(tx, STEWARD, late!.id);
      await enrolWithCode(tx, {
        code,
        email: 'late@fixture.local',
        password: 'participant password',
        displayName: 'L',
      });
    });
    const token = await signIn(f.gql, 'late@fixture.local', 'participant password');
    const res = await f.gql<{
      myConsent: {
        statedOwn: boolean;
        startingPoints: { datasetName: string; collection: { kind: string; summary: string } }[];
      };
    }>(
      `{ myConsent { statedOwn startingPoints { datasetName collection { kind summary } } } }`,
      {},
      { token },
    );
    expect(res.data!.myConsent).toEqual({
      statedOwn: false,
      startingPoints: [
        {
          datasetName: 'Re-contact Clinic',
          collection: {
            kind: 'RECONTACT_EACH_USE',
            summary: 'you are asked before each new use of your data',
          },
        },
      ],
    });
  });

  it('the late joiner is seventeen: her parent answers for her, and at eighteen she confirms', async () => {
    const [late] = await f.db.db
      .select({ id: participants.id })
      .from(participants)
      .where(eq(participants.pseudonym, 'P-LATE0001'));
    const [request] = (await requestsOf(studyId)).filter((r) => r.participantId === late!.id);
    const coordinator = await signIn(f.gql, 'coordinator@demo.local');
    // Eighteen tomorrow.
    const { parent, parentToken } = await parentOfMinorTurningEighteen(f, coordinator, late!.id);

    const answer = await answerActingFor(f, parentToken, late!.id, request!.id, 'PERMIT');
    expect(answer.data?.answerConsentRequest.__typename, JSON.stringify(answer)).toBe(
      'MutationAnswerConsentRequestSuccess',
    );
    expect((await requestsOf(studyId)).find((r) => r.id === request!.id)?.status).toBe('answered');

    // Eighteen: the worker's round ends the representation; she is asked to confirm.
    expect(await endLapsedRepresentations(f.db.db, new Date(Date.now() + 2 * 86_400_000))).toBe(1);
    const token = await signIn(f.gql, 'late@fixture.local', 'participant password');
    const toConfirm = await f.gql<{ decisionsToConfirm: { representativeName: string }[] }>(
      `{ decisionsToConfirm { representativeName } }`,
      {},
      { token },
    );
    expect(toConfirm.data?.decisionsToConfirm).toEqual([
      { representativeName: parent.displayName },
    ]);
    const confirmed = await f.gql<{ confirmDecisionsMadeForMe: { __typename: string } }>(
      `mutation { confirmDecisionsMadeForMe { __typename ... on Error { code } } }`,
      {},
      { token },
    );
    expect(confirmed.data?.confirmDecisionsMadeForMe.__typename).toBe(
      'MutationConfirmDecisionsMadeForMeSuccess',
    );
    // The parent can no longer act for her.
    const lateAnswer = await answerActingFor(f, parentToken, late!.id, request!.id, 'DENY');
    expect(lateAnswer.data?.answerConsentRequest.code).toBe('FORBIDDEN');
  });
});
