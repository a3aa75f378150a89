import { completeApplication } from '../../test/access-fixture.js';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { createTestApi, testConfig } from '../../test/test-api.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { verifyAuditChain } from '../audit/audit-verify.js';
import { verifyAnchors } from '../chain/anchor-verify.js';
import { ChainWorker } from '../chain/chain-worker.js';
import { verifyInclusion } from '../chain/merkle.js';
import { createAppServices } from '../../app/app-services.js';
import type { CohortEngine } from '../cohorts/cohort-engine.js';
import { DEMO_PASSWORD } from '../demo/demo-accounts.js';
import { seedDemo } from '../demo/seed-demo.js';
import { exportMembers, grants } from '../grants/grants.tables.js';
import { publicJwks } from '../grants/passport/signing-key.js';
import { verifyVisa } from '../grants/passport/verify-visa.js';
import { notifications } from '../notifications/notifications.tables.js';
import { createEnrolmentCode, enrolWithCode } from '../participants/participants.service.js';
import { participants } from '../participants/participants.tables.js';
import { consentRequests } from './studies.tables.js';

type Gql = ReturnType<typeof createTestApi>;
type Payload = {
  __typename: string;
  data?: Record<string, unknown>;
  message?: string;
  code?: string;
};

const PUBLIC_URL = 'https://consentome.test';

async function login(gql: Gql, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await gql<{ login: Payload & { data?: { token: string } } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on MutationLoginSuccess { data { token } } } }`,
    { e: email, p: password },
  );
  const token = res.data?.login.data?.token;
  if (!token) throw new Error(`login of ${email} failed: ${JSON.stringify(res)}`);
  return token;
}

const ERR = '... on Error { message code }';

/** Runs a mutation returning a union and gives the payload (success data or typed error). */
async function mutate(
  gql: Gql,
  token: string,
  field: string,
  args: string,
  selection: string,
  variables: Record<string, unknown>,
  vars: string,
): Promise<Payload> {
  const res = await gql<Record<string, Payload>>(
    `mutation(${vars}) { ${field}(${args}) { __typename ... on ${`Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`} { data { ${selection} } } ${ERR} } }`,
    variables,
    { token },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data![field]!;
}

describe(`the access workflow on the demo data, end to end (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let cohorts: CohortEngine;
  let gql: Gql;
  let worker: ChainWorker;
  let researcher = '';
  let ethics = '';
  let ethics2 = '';
  let panelId = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.db, { workflow: false });
    embedded = await openTestLedger();
    const config = testConfig({ publicUrl: PUBLIC_URL });
    const services = createAppServices(db.db, config);
    cohorts = services.cohorts;
    gql = createTestApi(db.db, config, services);
    worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 100_000,
      maxWaitMs: 0,
    });
    researcher = await login(gql, 'researcher@demo.local');
    ethics = await login(gql, 'ethics@demo.local');
    ethics2 = await login(gql, 'ethics2@demo.local');
    const res = await gql<{ datasets: { id: string; name: string }[] }>(
      `{ datasets { id name } }`,
      {},
      { token: researcher },
    );
    panelId = res.data!.datasets.find((d) => d.name === 'Population Reference Panel')!.id;
  }, 180_000);

  afterAll(async () => {
    cohorts.dispose();
    await embedded.chain.close();
    await db.dispose();
  });

  it('cohort → request → participants asked, one declines, one withdraws → board → grant + visa → export → myDataUse with chain proof → audit verifies', async () => {
    // 1. The researcher builds a cohort and sees its size.
    const criteria = { datasets: [panelId], sex: 'female', ageMin: 40, ageMax: 60 };
    const purpose = { primary: 'HMB', commercial: false };
    const count = await gql<{ cohortCount: { count: number | null } }>(
      `query($c: CohortCriteriaInput!, $p: ResearchPurposeInput) { cohortCount(criteria: $c, purpose: $p) { count } }`,
      { c: criteria, p: purpose },
      { token: researcher },
    );
    expect(count.data!.cohortCount.count).toBeGreaterThan(20);

    // 2. A study with that cohort, as a draft; another researcher cannot see it.
    const created = await mutate(
      gql,
      researcher,
      'createStudy',
      'input: $i',
      'id status',
      {
        i: {
          title: 'Blood pressure genetics in mid-life women',
          laySummary:
            'We look for genetic differences linked to high blood pressure in women aged 40 to 60.',
          purpose,
          cohortCriteria: criteria,
          datasetIds: [panelId],
        },
      },
      '$i: CreateStudyInput!',
    );
    expect(created.__typename).toBe('MutationCreateStudySuccess');
    const studyId = (created.data as { id: string }).id;
    const other = await gql(
      `mutation($e: String!) { createUser(input: { email: $e, password: "another long password", displayName: "Other", role: researcher }) { __typename } }`,
      { e: 'other@demo.local' },
      { token: await login(gql, 'admin@demo.local') },
    );
    expect(other.errors).toBeUndefined();
    const otherToken = await login(gql, 'other@demo.local', 'another long password');
    const peek = await gql(
      `query($id: ID!) { study(id: $id) { title } }`,
      { id: studyId },
      { token: otherToken },
    );
    expect(peek.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await auditEventsWithAction(db.db, 'study.read.refused')).toHaveLength(1);

    // 3. Submitted: everyone in the cohort has stated nothing yet, so everyone is asked.
    await completeApplication({ gql }, researcher, studyId);
    const submitted = await mutate(
      gql,
      researcher,
      'submitStudy',
      'id: $id',
      'status match { decision datasets { decision reasons } } cohort { ask { count display } permitted { display } exact }',
      { id: studyId },
      '$id: ID!',
    );
    expect(submitted.__typename).toBe('MutationSubmitStudySuccess');
    const study = submitted.data as {
      status: string;
      match: { decision: string };
      cohort: { ask: { count: number }; permitted: { display: string }; exact: boolean };
    };
    expect(study).toMatchObject({
      status: 'SUBMITTED',
      match: { decision: 'APPROVE' },
      cohort: { exact: false, permitted: { display: '0' } },
    });
    const asked = await db.db
      .select()
      .from(consentRequests)
      .where(eq(consentRequests.studyId, studyId));
    expect(asked.length).toBeGreaterThan(20);
    expect(study.cohort.ask.count).toBeGreaterThanOrEqual(20);

    // Three of the asked participants get accounts (a steward's enrolment codes).
    const picked = asked.slice(0, 3).map((r) => r.participantId);
    const tokens: string[] = [];
    for (const [i, participantId] of picked.entries()) {
      await db.db.transaction(async (tx) => {
        const { code } = await createEnrolmentCode(tx, systemActor('steward'), participantId);
        await enrolWithCode(tx, {
          code,
          email: `p${i}@demo.local`,
          password: 'participant password',
          displayName: `P${i}`,
        });
      });
      tokens.push(await login(gql, `p${i}@demo.local`, 'participant password'));
    }
    const [yes, no, leaver] = tokens as [string, string, string];
    const inbox = async (token: string) =>
      (
        await gql<{
          myConsentRequests: {
            id: string;
            status: string;
            study: { id: string; laySummary: string };
          }[];
        }>(`{ myConsentRequests { id status study { id laySummary } } }`, {}, { token })
      ).data!.myConsentRequests;
    const yesRequest = (await inbox(yes)).find((r) => r.study.id === studyId)!;
    expect(yesRequest).toMatchObject({
      status: 'PENDING',
      study: { laySummary: expect.stringContaining('blood pressure') },
    });
    const answer = (token: string, requestId: string, decision: string) =>
      mutate(
        gql,
        token,
        'answerConsentRequest',
        'requestId: $r, decision: $d',
        'status decision',
        { r: requestId, d: decision },
        '$r: ID!, $d: StudyDecision!',
      );

    // Answering someone else's request: not found, nothing changed, the attempt audited.
    const stolen = await answer(no, yesRequest.id, 'DENY');
    expect(stolen).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await auditEventsWithAction(db.db, 'consent_request.answer.refused')).toHaveLength(1);

    expect((await answer(yes, yesRequest.id, 'PERMIT')).__typename).toBe(
      'MutationAnswerConsentRequestSuccess',
    );
    const noRequest = (await inbox(no)).find((r) => r.study.id === studyId)!;
    expect((await answer(no, noRequest.id, 'DENY')).data).toMatchObject({ decision: 'DENY' });
    const leaverRequest = (await inbox(leaver)).find((r) => r.study.id === studyId)!;
    expect((await answer(leaver, leaverRequest.id, 'PERMIT')).__typename).toBe(
      'MutationAnswerConsentRequestSuccess',
    );

    // The researcher watches answers arrive, but small figures stay hidden: no single "no".
    const watched = await gql<{
      study: { cohort: { requests: { declined: { display: string; count: number | null } } } };
    }>(
      `query($id: ID!) { study(id: $id) { cohort { requests { declined { display count } } } } }`,
      { id: studyId },
      { token: researcher },
    );
    expect(watched.data!.study.cohort.requests.declined).toEqual({ display: '<20', count: null });

    // 4. The board: two votes (quorum 2). Voting twice is refused; the researcher cannot vote.
    const queue = await gql<{
      reviewQueue: { id: string; match: { datasets: { decision: string }[] } }[];
    }>(`{ reviewQueue { id match { datasets { decision } } } }`, {}, { token: ethics });
    expect(queue.data!.reviewQueue.map((s) => s.id)).toContain(studyId);
    const vote = (token: string, input: Record<string, unknown>) =>
      mutate(
        gql,
        token,
        'castVote',
        'input: $i',
        'status cohort { permitted { count } exact } grant { id }',
        { i: { studyId, ...input } },
        '$i: VoteInput!',
      );
    const first = await vote(ethics, {
      vote: 'APPROVE',
      rationale: 'Proportionate, low risk; consent asked where needed.',
      conditions: ['Publish results openly'],
    });
    expect(first.data).toMatchObject({
      status: 'UNDER_REVIEW',
      grant: null,
      cohort: { exact: true, permitted: { count: 2 } },
    });
    expect(await vote(ethics, { vote: 'APPROVE', rationale: 'again' })).toMatchObject({
      __typename: 'ConflictError',
    });
    const byResearcher = await gql(
      `mutation { castVote(input: { studyId: "${studyId}", vote: APPROVE, rationale: "mine" }) { __typename } }`,
      {},
      { token: researcher },
    );
    expect(byResearcher.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rejectWithoutReason = await vote(ethics2, { vote: 'REJECT', rationale: '' });
    expect(rejectWithoutReason).toMatchObject({ __typename: 'ValidationError' });

    // The leaver withdraws before the decision: they leave the cohort at once.
    const withdrawal = await gql<{ withdrawConsent: Payload }>(
      `mutation { withdrawConsent(confirm: true) { __typename ... on MutationWithdrawConsentSuccess { data { studiesThatReceivedData } } } }`,
      {},
      { token: leaver },
    );
    expect(withdrawal.data!.withdrawConsent).toMatchObject({
      data: { studiesThatReceivedData: [] },
    });

    const second = await vote(ethics2, {
      vote: 'APPROVE',
      rationale: 'Agree; purpose fits the data use.',
    });
    expect(second.data).toMatchObject({ status: 'APPROVED', cohort: { permitted: { count: 1 } } });
    const grantId = (second.data as { grant: { id: string } }).grant.id;

    // 5. Grant with a visa per dataset, verified against the published JWKS.
    const grant = await gql<{
      grant: {
        status: string;
        visas: string[];
        cohortRoot: string;
        memberCount: number;
        expiresAt: string;
        boardConditions: string[];
      };
    }>(
      `query($id: ID!) { grant(id: $id) { status visas cohortRoot memberCount expiresAt boardConditions } }`,
      { id: grantId },
      { token: researcher },
    );
    const g = grant.data!.grant;
    expect(g).toMatchObject({
      status: 'ACTIVE',
      memberCount: 1,
      boardConditions: ['Publish results openly'],
    });
    expect(g.visas).toHaveLength(1);
    const verified = await verifyVisa(await publicJwks(db.db), g.visas[0], { issuer: PUBLIC_URL });
    expect(verified.ok).toBe(true);
    if (verified.ok) {
      expect(verified.visa.visa).toMatchObject({
        type: 'ControlledAccessGrants',
        by: 'dac',
        value: `${PUBLIC_URL}/datasets/${panelId}`,
      });
      expect(verified.visa.expiresAt).toBe(Math.floor(new Date(g.expiresAt).getTime() / 1000));
      expect(verified.visa.subject).toBeTruthy();
    }

    // 6. Export: exactly the consenting participant; the decliner and the withdrawn are out.
    const exported = await mutate(
      gql,
      researcher,
      'createExport',
      'grantId: $g',
      'id participantCount variantCount vcfSha256 manifest',
      { g: grantId },
      '$g: ID!',
    );
    expect(exported.__typename).toBe('MutationCreateExportSuccess');
    const exp = exported.data as {
      id: string;
      participantCount: number;
      manifest: { samples: string[]; consentVouchedBy: Record<string, string> };
    };
    expect(exp.participantCount).toBe(1);
    const included = await db.db
      .select()
      .from(exportMembers)
      .where(eq(exportMembers.exportId, exp.id));
    expect(included.map((m) => m.participantId)).toEqual([picked[0]]);
    expect(exp.manifest.samples).toEqual([included[0]!.sampleId]);
    // The participant answered without a passkey: the manifest says the institution recorded it.
    expect(exp.manifest.consentVouchedBy).toEqual({ [included[0]!.sampleId]: 'institution' });

    // 7. The participant sees the export in myDataUse with a valid chain proof.
    await worker.runOnce();
    await worker.runOnce();
    const use = await gql<{
      myDataUse: {
        study: { id: string; status: string; decisionRationale: string };
        decision: string;
        exports: { id: string; sampleId: string }[];
        events: {
          action: string;
          hash: string;
          proof: {
            batch: number;
            merkleRoot: string;
            txHash: string | null;
            steps: { side: 'left' | 'right'; hash: string }[];
          } | null;
        }[];
      }[];
    }>(
      `{ myDataUse { study { id status decisionRationale } decision exports { id sampleId } events { action hash proof { batch merkleRoot txHash steps { side hash } } } } }`,
      {},
      { token: yes },
    );
    expect(use.errors).toBeUndefined();
    const entry = use.data!.myDataUse.find((e) => e.study.id === studyId)!;
    expect(entry).toMatchObject({
      decision: 'PERMIT',
      study: { status: 'APPROVED' },
      exports: [{ id: exp.id }],
    });
    expect(entry.study.decisionRationale).toContain('purpose fits');
    const inclusion = entry.events.find((e) => e.action === 'export.include')!;
    expect(inclusion.proof?.txHash).toBeTruthy();
    expect(
      verifyInclusion(inclusion.hash, inclusion.proof!.steps, inclusion.proof!.merkleRoot),
    ).toBe(true);
    expect(
      (await embedded.ledger.anchor(embedded.ledger.sender, inclusion.proof!.batch))?.merkle_root,
    ).toBe(inclusion.proof!.merkleRoot);

    // The grant and the decisions are on chain too.
    const [grantRow] = await db.db.select().from(grants).where(eq(grants.id, grantId));
    expect(grantRow!.cohortRoot).toBe(g.cohortRoot);
    const onChain = await embedded.ledger.grant(grantId);
    expect(onChain).toMatchObject({
      grant_id: grantId,
      study_id: studyId,
      cohort_root: g.cohortRoot,
      expiry: Math.floor(new Date(g.expiresAt).getTime() / 1000),
    });

    // 8. An expired or revoked grant exports nothing.
    await db.db
      .update(grants)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(grants.id, grantId));
    expect(
      await mutate(gql, researcher, 'createExport', 'grantId: $g', 'id', { g: grantId }, '$g: ID!'),
    ).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('expired') });
    await db.db
      .update(grants)
      .set({ expiresAt: grantRow!.expiresAt })
      .where(eq(grants.id, grantId));
    const revoked = await mutate(
      gql,
      ethics,
      'revokeGrant',
      'grantId: $g, reason: $r',
      'status',
      { g: grantId, r: 'Conditions of publication were not met.' },
      '$g: ID!, $r: String!',
    );
    expect(revoked.data).toMatchObject({ status: 'REVOKED' });
    expect(
      await mutate(gql, researcher, 'createExport', 'grantId: $g', 'id', { g: grantId }, '$g: ID!'),
    ).toMatchObject({ __typename: 'ConflictError' });

    // Notifications reached every role.
    const kinds = new Set(
      (await db.db.select({ kind: notifications.kind }).from(notifications)).map((n) => n.kind),
    );
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['vote_needed', 'study_decision', 'grant_issued', 'grant_ended']),
    );

    // 9. The audit trail verifies, hash chain and chain anchors.
    await worker.runOnce();
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
    const anchors = await verifyAnchors(db.db, embedded.ledger);
    expect(anchors.ok).toBe(true);
    const stillPending = await db.db
      .select()
      .from(participants)
      .where(and(inArray(participants.id, picked), eq(participants.status, 'withdrawn')));
    expect(stillPending.map((p) => p.id)).toEqual([picked[2]]);
  }, 300_000);
});
