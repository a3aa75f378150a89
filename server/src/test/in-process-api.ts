import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createRouter } from '../http/router.js';
import { standardRoutes } from '../http/standard-routes.js';
import { createGraphQLServer } from '../http/yoga.js';
import { insertUser, type UserRecord } from '../modules/accounts/accounts.service.js';
import type { UserActor } from '../modules/actors/actor.js';
import type { Role } from '../modules/actors/roles.js';
import { createAppServices, type AppServices } from '../app/app-services.js';

// The in-process API for tests and benchmarks. Free of vitest, so a benchmark run by plain
// Node can use it too; test-api.ts adds the suite fixture on top.

/** Configuration for in-process tests: quiet, no demo seeding, a small login limit. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    // The existing suites test their own rules; second-factor policy is tested on its own.
    ...loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEMO_SEED: 'false',
      MFA_REQUIRED_ROLES: '',
      STEP_UP_ACTIONS: '',
      // The existing suites ask participants at submission; asking after approval (the
      // default) is tested on its own (studies/asking-at-the-right-time.story.test.ts).
      CONSENT_REQUESTS_WHEN: 'before_decision',
    }),
    ...overrides,
  };
}

/** A GraphQL response as tests see it. */
export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  headers: Headers;
}

/**
 * An in-process GraphQL client over `yoga.fetch`: no port, the real schema and context. Pass
 * `services` (from `createAppServices`) to share the cohort index and the counter with other
 * doors under test, as start-up does.
 */
export function createTestApi(
  db: Database,
  config: Config = testConfig(),
  services: AppServices = createAppServices(db, config),
) {
  const yoga = createGraphQLServer(db, config, services);
  return async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    auth: { token?: string; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<GqlResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const response = await yoga.fetch('http://test.local/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: GqlResponse['errors'] };
    return {
      status: response.status,
      data: body.data,
      errors: body.errors,
      headers: response.headers,
    };
  };
}

/**
 * GraphQL and the standard routes behind the one router the server puts in front of them, so
 * a test sees what the router adds (CSRF checks, body limits, CORS) as a browser would. The
 * chain's doors and the Beacon are left out (app/api-handler.ts adds them at start-up).
 */
export function createTestRouter(
  db: Database,
  config: Config,
  services: AppServices = createAppServices(db, config),
): ReturnType<typeof createRouter> {
  const yoga = createGraphQLServer(db, config, services);
  return createRouter(
    standardRoutes(db, config, services),
    (request, context) => yoga.handle(request, context),
    config,
  );
}

/** The password every test account uses. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates an account with a unique e-mail directly (no audit event; setup only). */
export async function makeUser(
  db: Database,
  role: Role,
  institution: string | null = null,
): Promise<UserRecord> {
  return db.transaction((tx) =>
    insertUser(tx, {
      email: `${role}-${randomUUID().slice(0, 8)}@test.local`,
      password: TEST_PASSWORD,
      displayName: `Test ${role}`,
      role,
      institution,
    }),
  );
}

/** Logs in through the API and returns the bearer token. */
export async function loginAs(
  gql: ReturnType<typeof createTestApi>,
  user: UserRecord,
): Promise<string> {
  const res = await gql<{ login: { __typename: string; data?: { token: string } } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on MutationLoginSuccess { data { token } } } }`,
    { e: user.email, p: TEST_PASSWORD },
  );
  const token = res.data?.login.data?.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(res)}`);
  return token;
}

/** The actor a user acts as in direct service calls. */
export function actorOf(user: UserRecord): UserActor {
  return { kind: 'user', userId: user.id, role: user.role, sessionId: null };
}

/** The test API `createTestApi` answers. */
export type TestApi = ReturnType<typeof createTestApi>;
