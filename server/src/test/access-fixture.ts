import type { EmbeddedLedger } from '@consentome/contracts-client';
import { eq } from 'drizzle-orm';
import { systemActor } from '../modules/actors/actor.js';
import { createAppServices, type AppServices } from '../app/app-services.js';
import type { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import { DEMO_PASSWORD } from '../modules/demo/demo-accounts.js';
import { seedDemo } from '../modules/demo/seed-demo.js';
import { exampleAccessRequest } from '../modules/demo/demo-access-request.js';
import {
  createEnrolmentCode,
  enrolWithCode,
} from '../modules/participants/participants.service.js';
import { participants } from '../modules/participants/participants.tables.js';
import { consentRequests } from '../modules/studies/studies.tables.js';
import { createTestApi, loginAs, makeUser, testConfig } from './test-api.js';
import type { UserRecord } from '../modules/accounts/accounts.service.js';
import { openTestLedger } from './test-chain.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import type { Config } from '../config.js';

/** The public URL test servers issue visas under. */
export const FIXTURE_PUBLIC_URL = 'https://consentome.test';

/** A demo-seeded database with the API, an embedded chain and the demo accounts signed in. */
export interface AccessFixture {
  db: TestDatabase;
  gql: ReturnType<typeof createTestApi>;
  cohorts: CohortEngine;
  /** The services the API runs on: other doors under test share them. */
  services: AppServices;
  embedded: EmbeddedLedger;
  tokens: { researcher: string; ethics: string; ethics2: string; admin: string; so: string };
  panelId: string;
  dispose(): Promise<void>;
}

/** A typed-union mutation payload as tests read it. */
export interface Payload {
  __typename: string;
  data?: Record<string, unknown>;
  message?: string;
  code?: string;
  fieldErrors?: { field: string; message: string }[];
}

/** Signs in through the API. */
export async function signIn(
  gql: ReturnType<typeof createTestApi>,
  email: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const res = await gql<{ login: { data?: { token: string } } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on MutationLoginSuccess { data { token } } } }`,
    { e: email, p: password },
  );
  const token = res.data?.login.data?.token;
  if (!token) throw new Error(`login of ${email} failed: ${JSON.stringify(res)}`);
  return token;
}

/** Seeds the demo and opens everything a workflow test needs. */
export async function openAccessFixture(config: Partial<Config> = {}): Promise<AccessFixture> {
  const db = await createTestDatabase();
  // The suites here drive the workflow themselves, from no studies, votes or grants.
  await seedDemo(db.db, { workflow: false });
  const embedded = await openTestLedger();
  const settings = testConfig({ publicUrl: FIXTURE_PUBLIC_URL, ...config });
  const services = createAppServices(db.db, settings);
  const cohorts = services.cohorts;
  const gql = createTestApi(db.db, settings, services);
  const tokens = {
    researcher: await signIn(gql, 'researcher@demo.local'),
    ethics: await signIn(gql, 'ethics@demo.local'),
    ethics2: await signIn(gql, 'ethics2@demo.local'),
    admin: await signIn(gql, 'admin@demo.local'),
    so: await signIn(gql, 'so@demo.local'),
  };
  const res = await gql<{ datasets: { id: string; name: string }[] }>(
    `{ datasets { id name } }`,
    {},
    { token: tokens.researcher },
  );
  const panelId = res.data!.datasets.find((d) => d.name === 'Population Reference Panel')!.id;
  return {
    db,
    gql,
    cohorts,
    services,
    embedded,
    tokens,
    panelId,
    dispose: async () => {
      services.dispose();
      await embedded.chain.close();
      await db.dispose();
    },
  };
}

/** Runs a union-returning mutation and answers its payload (success data or typed error). */
export async function mutate(
  f: Pick<AccessFixture, 'gql'>,
  token: string,
  call: string,
  selection: string,
  variables: Record<string, unknown> = {},
): Promise<Payload> {
  const field = call.match(/^\s*(\w+)/)![1]!;
  const declared = call.match(/^\s*\w+\s*\((.*)\)\s*$/s)?.[1] ?? '';
  const vars = [...declared.matchAll(/\$(\w+)/g)].map((m) => m[1]!);
  const types = vars.map((v) => `$${v}: ${variableTypes[v] ?? 'String!'}`).join(', ');
  const success = `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;
  const res = await f.gql<Record<string, Payload>>(
    `mutation${types ? `(${types})` : ''} { ${call} { __typename ... on ${success} { data { ${selection} } } ... on Error { message code } ... on ValidationError { fieldErrors { field message } } } }`,
    variables,
    { token },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data![field]!;
}

// Variable names used by tests, with their GraphQL types.
const variableTypes: Record<string, string> = {
  id: 'ID!',
  studyId: 'ID!',
  grantId: 'ID!',
  requestId: 'ID!',
  input: 'CreateStudyInput!',
  vote: 'VoteInput!',
  decision: 'StudyDecision!',
  reason: 'String!',
  datasetUpdate: 'UpdateDatasetInput!',
  section: 'AccessRequestSection!',
  data: 'JSON!',
  agreementId: 'ID!',
  cardId: 'ID!',
  researcherId: 'ID!',
  dacId: 'ID!',
  expiresAt: 'DateTime!',
  report: 'RenewalReportInput!',
  closeout: 'CloseOutGrantInput!',
  renewalId: 'ID!',
  renewalDecision: 'RenewalDecision!',
  note: 'String',
  dueAt: 'DateTime!',
  changeId: 'ID!',
  text: 'String!',
  approve: 'Boolean!',
};

/**
 * A new researcher of the demo researcher's institution ready to submit straight to the
 * committees, as the demo researcher is: they accepted every committee's current data use
 * agreement and the demo signing official (so@demo.local) issued them a library card.
 */
export async function researcherWithCard(
  f: AccessFixture,
): Promise<{ user: UserRecord; token: string }> {
  const user = await makeUser(f.db.db, 'researcher', 'Demo University');
  const token = await loginAs(f.gql, user);
  const res = await f.gql<{ dataUseAgreements: { id: string }[] }>(
    `{ dataUseAgreements { id } }`,
    {},
    { token },
  );
  for (const { id } of res.data!.dataUseAgreements) {
    for (const who of [token, f.tokens.so]) {
      const accepted = await mutate(
        f,
        who,
        'acceptDataUseAgreement(agreementId: $agreementId)',
        'id',
        {
          agreementId: id,
        },
      );
      if (accepted.__typename !== 'MutationAcceptDataUseAgreementSuccess')
        throw new Error(`accepting failed: ${JSON.stringify(accepted)}`);
    }
  }
  const card = await mutate(
    f,
    f.tokens.so,
    'issueLibraryCard(researcherId: $researcherId, expiresAt: $expiresAt)',
    'id',
    { researcherId: user.id, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  );
  if (card.__typename !== 'MutationIssueLibraryCardSuccess')
    throw new Error(`issuing a card failed: ${JSON.stringify(card)}`);
  return { user, token };
}

/**
 * Fills in every section of a draft's full request with the example (demo-access-request.ts),
 * through the API, so the draft can be submitted.
 */
export async function completeApplication(
  f: Pick<AccessFixture, 'gql'>,
  token: string,
  studyId: string,
): Promise<void> {
  for (const [section, data] of Object.entries(exampleAccessRequest())) {
    const saved = await mutate(
      f,
      token,
      'saveAccessRequestSection(studyId: $studyId, section: $section, data: $data)',
      'id',
      { studyId, section: section.replace(/([A-Z])/g, '_$1').toUpperCase(), data },
    );
    if (saved.__typename !== 'MutationSaveAccessRequestSectionSuccess')
      throw new Error(`saving ${section} failed: ${JSON.stringify(saved)}`);
  }
}

/** Creates and submits a study over the panel; answers its id. */
export async function submittedStudy(
  f: AccessFixture,
  input: Partial<{
    purpose: Record<string, unknown>;
    collaborators: string[];
    criteria: Record<string, unknown>;
  }> = {},
): Promise<string> {
  const created = await mutate(f, f.tokens.researcher, 'createStudy(input: $input)', 'id', {
    input: {
      title: 'A study of the fixture',
      laySummary: 'A plain summary that participants read before deciding anything at all.',
      purpose: input.purpose ?? { primary: 'HMB', commercial: false },
      collaborators: input.collaborators ?? [],
      cohortCriteria: input.criteria ?? {
        datasets: [f.panelId],
        sex: 'female',
        ageMin: 40,
        ageMax: 60,
      },
      datasetIds: [f.panelId],
    },
  });
  const id = (created.data as { id: string }).id;
  await completeApplication(f, f.tokens.researcher, id);
  const submitted = await mutate(f, f.tokens.researcher, 'submitStudy(id: $id)', 'id', { id });
  if (submitted.__typename !== 'MutationSubmitStudySuccess')
    throw new Error(`submit failed: ${JSON.stringify(submitted)}`);
  return id;
}

/**
 * Enrols the first `n` participants asked by a study and signs them in; answers their tokens
 * and request ids in the same order.
 */
export async function askedParticipants(
  f: AccessFixture,
  studyId: string,
  n: number,
): Promise<{ participantId: string; requestId: string; token: string }[]> {
  const asked = await f.db.db
    .select()
    .from(consentRequests)
    .where(eq(consentRequests.studyId, studyId));
  const out = [];
  for (const r of asked.slice(0, n)) {
    const email = `p-${r.participantId.slice(0, 8)}@fixture.local`;
    const [p] = await f.db.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(eq(participants.id, r.participantId));
    if (!p?.userId)
      await f.db.db.transaction(async (tx) => {
        const { code } = await createEnrolmentCode(tx, systemActor('steward'), r.participantId);
        await enrolWithCode(tx, {
          code,
          email,
          password: 'participant password',
          displayName: 'P',
        });
      });
    out.push({
      participantId: r.participantId,
      requestId: r.id,
      token: await signIn(f.gql, email, 'participant password'),
    });
  }
  return out;
}

/** An asked participant answers their consent request (`PERMIT` or `DENY`) through the API. */
export function answerRequest(
  f: Pick<AccessFixture, 'gql'>,
  person: { token: string; requestId: string },
  decision: 'PERMIT' | 'DENY',
): Promise<Payload> {
  return mutate(
    f,
    person.token,
    'answerConsentRequest(requestId: $requestId, decision: $decision)',
    'status',
    { requestId: person.requestId, decision },
  );
}

/** Enrols the first `n` participants asked by a study, as askedParticipants does, and each says yes. */
export async function permittingParticipants(
  f: AccessFixture,
  studyId: string,
  n: number,
): Promise<{ participantId: string; requestId: string; token: string }[]> {
  const asked = await askedParticipants(f, studyId, n);
  for (const p of asked) {
    const answered = await answerRequest(f, p, 'PERMIT');
    if (answered.__typename !== 'MutationAnswerConsentRequestSuccess')
      throw new Error(`answering failed: ${JSON.stringify(answered)}`);
  }
  return asked;
}

/**
 * The set-up of most grant and export tests: a study over the panel submitted with `criteria`,
 * the first `participants` it asks all saying yes, then both board members approving it.
 * Answers the study, its grant and the participants (as askedParticipants answers them).
 */
export async function approvedStudyWithGrant(
  f: AccessFixture,
  { criteria, participants: n }: { criteria?: Record<string, unknown>; participants: number },
): Promise<{
  studyId: string;
  grantId: string;
  asked: { participantId: string; requestId: string; token: string }[];
}> {
  const studyId = await submittedStudy(f, criteria ? { criteria } : {});
  const asked = await permittingParticipants(f, studyId, n);
  const grantId = await approve(f, studyId);
  return { studyId, grantId, asked };
}

/** Both demo board members approve; answers the grant id. */
export async function approve(f: AccessFixture, studyId: string): Promise<string> {
  for (const token of [f.tokens.ethics, f.tokens.ethics2]) {
    const r = await mutate(f, token, 'castVote(input: $vote)', 'status', {
      vote: { studyId, vote: 'APPROVE', rationale: 'Fits the data use and the consent.' },
    });
    if (r.__typename !== 'MutationCastVoteSuccess') throw new Error(JSON.stringify(r));
  }
  const res = await f.gql<{ study: { grant: { id: string } | null } }>(
    `query($id: ID!) { study(id: $id) { grant { id } } }`,
    { id: studyId },
    { token: f.tokens.researcher },
  );
  return res.data!.study.grant!.id;
}
