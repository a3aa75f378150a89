import { DEMO_PASSWORD } from './helpers';

/** The API the Playwright config started. */
export const API = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4317'}/graphql`;

/** Calls the API directly (test set-up only); throws on top-level errors. */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await fetch(API, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data!;
}

/** A bearer token for a demo account. */
export async function tokenFor(email: string): Promise<string> {
  const data = await gql<{ login: { data?: { token: string } } }>(
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
      ... on MutationLoginSuccess { data { token } } } }`,
    { email, password: DEMO_PASSWORD },
  );
  if (!data.login.data) throw new Error(`cannot sign in ${email}`);
  return data.login.data.token;
}

/** A complete full access request (every section valid, the IRB approval a year ahead). */
export function exampleAccessRequest(): Record<string, Record<string, unknown>> {
  const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    RESEARCH: {
      technicalStatement:
        'A genome-wide association study of lung function, adjusted for ancestry with principal components, replicated in an independent cohort.',
    },
    INVESTIGATOR: {
      piName: 'Dana Researcher',
      piEmail: 'researcher@demo.local',
      institution: 'Demo University',
    },
    COLLABORATORS: { collaborators: [] },
    LAB_STAFF: { internal: [], external: [] },
    SECURITY: { approvedCloud: 'terra', itPlan: '' },
    PUBLICATION: { intendsToPublish: true, plan: 'Aggregate results in an open-access journal.' },
    FUNDING: { source: 'Demo Research Council', grantNumber: '' },
    IRB: { protocolNumber: 'IRB-2026-042', expiresOn: nextYear },
  };
}

/** Fills in every section of a draft's full request through the API (set-up only). */
export async function fillAccessRequest(studyId: string, token: string): Promise<void> {
  for (const [section, data] of Object.entries(exampleAccessRequest())) {
    const res = await gql<{ saveAccessRequestSection: { __typename: string } }>(
      `mutation($id: ID!, $s: AccessRequestSection!, $d: JSON!) { saveAccessRequestSection(studyId: $id, section: $s, data: $d) { __typename } }`,
      { id: studyId, s: section, d: data },
      token,
    );
    if (res.saveAccessRequestSection.__typename !== 'MutationSaveAccessRequestSectionSuccess')
      throw new Error(`saving ${section} failed`);
  }
}

/** An account for {@link createAccount} (the API's CreateUserInput). */
export interface NewAccount {
  email: string;
  displayName: string;
  role: string;
  /** Defaults to the demo password, so `signIn(page, email)` works. */
  password?: string;
  institution?: string;
}

/** Creates an account through the API as an administrator (set-up only); answers its id. */
export async function createAccount(adminToken: string, account: NewAccount): Promise<string> {
  const res = await gql<{ createUser: { __typename: string; data?: { id: string } } }>(
    `mutation($i: CreateUserInput!) { createUser(input: $i) {
      __typename ... on MutationCreateUserSuccess { data { id } } } }`,
    { i: { password: DEMO_PASSWORD, ...account } },
    adminToken,
  );
  if (res.createUser.__typename !== 'MutationCreateUserSuccess' || !res.createUser.data)
    throw new Error(`creating ${account.email} failed: ${res.createUser.__typename}`);
  return res.createUser.data.id;
}

/** A data access committee for {@link createCommittee} (the API's CreateDacInput). */
export interface NewCommittee {
  name: string;
  quorum: number;
  memberIds?: string[];
  chairId?: string;
}

/** Creates a data access committee through the API as an administrator (set-up only). */
export async function createCommittee(adminToken: string, committee: NewCommittee): Promise<void> {
  const res = await gql<{ createDac: { __typename: string } }>(
    `mutation($i: CreateDacInput!) { createDac(input: $i) { __typename } }`,
    { i: committee },
    adminToken,
  );
  if (res.createDac.__typename !== 'MutationCreateDacSuccess')
    throw new Error(`creating the committee ${committee.name} failed: ${res.createDac.__typename}`);
}
