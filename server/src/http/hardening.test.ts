import { describe, expect, it } from 'vitest';
import { createAppServices } from '../app/app-services.js';
import { useTestApi } from '../test/test-api.js';
import { TEST_DRIVER, createTestDatabase } from '../test/test-database.js';
import { loadConfig } from '../config.js';
import { MAX_QUERY_ALIASES, MAX_QUERY_DEPTH, createGraphQLServer } from './yoga.js';

describe(`GraphQL hardening on ${TEST_DRIVER}`, () => {
  const fx = useTestApi();

  // The schema is shallow, so depth is built from nested fragments-free inline selections of __type.
  function nested(depth: number): string {
    let q = 'name';
    for (let i = 1; i < depth; i += 1) q = `ofType { ${q} }`;
    return `{ __type(name: "Query") { ${q} } }`;
  }

  it(`accepts a query ${MAX_QUERY_DEPTH} deep`, async () => {
    const res = await fx.gql(nested(MAX_QUERY_DEPTH - 1));
    expect(res.errors).toBeUndefined();
  });

  it(`refuses a query deeper than ${MAX_QUERY_DEPTH}`, async () => {
    const res = await fx.gql(nested(MAX_QUERY_DEPTH + 2));
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
  });

  it(`accepts ${MAX_QUERY_ALIASES} aliases and refuses more`, async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: duoTerms { code }`).join(' ')} }`;
    expect((await fx.gql(aliases(MAX_QUERY_ALIASES))).errors).toBeUndefined();
    const refused = await fx.gql(aliases(MAX_QUERY_ALIASES + 1));
    expect(refused.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('masks an unexpected failure as "Unexpected error." with a code, leaking no detail', async () => {
    await fx.db.close();
    const res = await fx.gql(`mutation { login(email: "a@b.co", password: "x") { __typename } }`);
    expect(res.errors?.[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(res.errors)).not.toMatch(/stack|pglite|postgres|closed/i);
    fx.db = await createTestDatabase();
  });
});

describe('production is the default', () => {
  it('serve runs as production unless NODE_ENV says otherwise: no GraphiQL, no introspection', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DEMO_SEED: 'false',
      MFA_REQUIRED_ROLES: '',
      STEP_UP_ACTIONS: '',
    });
    expect(config.nodeEnv).toBe('production');
    const db = await createTestDatabase();
    try {
      const yoga = createGraphQLServer(db.db, config, createAppServices(db.db, config));
      const page = await yoga.fetch('http://test.local/graphql', {
        headers: { accept: 'text/html', 'x-graphql-yoga-csrf': '1' },
      });
      expect(await page.text()).not.toMatch(/graphiql/i);
      const res = await yoga.fetch('http://test.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      const body = (await res.json()) as { errors?: { message: string }[] };
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
      const development = createGraphQLServer(
        db.db,
        { ...config, nodeEnv: 'development' },
        createAppServices(db.db, config),
      );
      const graphiql = await development.fetch('http://test.local/graphql', {
        headers: { accept: 'text/html' },
      });
      expect(await graphiql.text()).toMatch(/graphiql/i);
    } finally {
      await db.dispose();
    }
  });
});
