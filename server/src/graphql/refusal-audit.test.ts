import { randomUUID } from 'node:crypto';
import { createAppServices } from '../app/app-services.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../test/capturing-logger.js';
import { createGraphQLServer } from '../http/yoga.js';
import { auditEventsWithAction } from '../test/audit-rows.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';

describe(`refused reads and admin attempts are audited; expected errors are not faults (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let steward = '';
  let stewardId = '';
  let researcher = '';
  let researcherId = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const s = await makeUser(db.db, 'steward');
    const r = await makeUser(db.db, 'researcher');
    steward = await loginAs(gql, s);
    researcher = await loginAs(gql, r);
    stewardId = s.id;
    researcherId = r.id;
  });
  afterAll(() => db.dispose());

  it('a participant-level read answered NOT_FOUND leaves an audit event naming the id asked for', async () => {
    const id = randomUUID();
    const res = await gql(
      `query($id: ID!) { p: participant(id: $id) { id } }`,
      { id },
      { token: steward },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const events = await auditEventsWithAction(db.db, 'participant.refused');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: stewardId, targetId: id });
    expect(events[0]!.payload).toContain('NOT_FOUND');
  });

  it('a role-gated read refused as FORBIDDEN is audited', async () => {
    const res = await gql(`{ users { id } }`, {}, { token: researcher });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [event] = await auditEventsWithAction(db.db, 'users.refused');
    expect(event).toMatchObject({ actorId: researcherId, actorRole: 'researcher' });
    expect(event!.payload).toContain('FORBIDDEN');
  });

  it('an admin mutation tried by a researcher is refused and audited', async () => {
    const res = await gql<{ confirmResearcherStatus: { __typename: string } }>(
      `mutation($u: ID!) { confirmResearcherStatus(userId: $u) { __typename } }`,
      { u: researcherId },
      { token: researcher },
    );
    // The role gate answers before the resolver: a top-level FORBIDDEN.
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [event] = await auditEventsWithAction(db.db, 'confirmResearcherStatus.refused');
    expect(event).toMatchObject({ actorId: researcherId, targetId: researcherId });
  });

  it('an expected error is one info line without a stack; an unexpected one keeps its stack', async () => {
    const { log, lines } = capturingLogger();
    const yoga = createGraphQLServer(
      db.db,
      testConfig(),
      createAppServices(db.db, testConfig()),
      log,
    );
    const ask = (query: string, variables: Record<string, unknown> = {}) =>
      yoga.fetch('http://test.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${steward}` },
        body: JSON.stringify({ query, variables }),
      });
    await ask(`query($id: ID!) { participant(id: $id) { id } }`, { id: randomUUID() });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines).toContainEqual({
      level: 'info',
      message: 'expected error',
      fields: { code: 'NOT_FOUND', error: 'NotFoundError' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/at .*\.ts:\d+/);

    await db.close();
    await ask(`{ datasets { id } }`);
    const failure = lines.find((l) => l.level === 'error');
    expect(String(failure?.fields?.stack)).toMatch(/\n\s+at /);
    db = await createTestDatabase();
  });
});
