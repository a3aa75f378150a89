import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, signClientAddress } from '../../http/client-address.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { TEST_PASSWORD, createTestApi, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { attemptThrottles } from './accounts.tables.js';
import { emailKey } from './login-rate-limit.js';

const LOGIN = `mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) {
    __typename
    ... on Error { code }
    ... on RateLimitedError { retryAfterSeconds }
  }
}`;
type LoginAnswer = { login: { __typename: string; retryAfterSeconds?: number } };

const SECRET = 'a-test-secret-shared-by-portal-and-api-0123456789';

describe(`login limits under attack (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.dispose());

  /** Opens the block of every throttle key, as if its wait had passed. */
  const waitPassed = () =>
    db.db.execute(sql`update attempt_throttles set blocked_until = now() - interval '1 second'`);

  it('counts concurrent wrong passwords before checking them: 30 at once, only the free ones are checked', async () => {
    const gql = createTestApi(db.db, testConfig({ loginMaxFailures: 5 }));
    const user = await makeUser(db.db, 'researcher');
    const before = (await auditEventsWithAction(db.db, 'auth.login_failed')).length;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        gql<LoginAnswer>(LOGIN, { e: user.email, p: `wrong guess ${i}!` }),
      ),
    );
    const kinds = answers.map((a) => a.data?.login.__typename);
    expect(kinds.filter((k) => k === 'UnauthenticatedError')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'RateLimitedError')).toHaveLength(25);
    const checked = (await auditEventsWithAction(db.db, 'auth.login_failed')).length - before;
    expect(checked).toBe(5);
    // The account now waits: five failures counted, and a block set (its length is the next test's).
    const [row] = await db.db
      .select()
      .from(attemptThrottles)
      .where(eq(attemptThrottles.key, `login:account:${emailKey(user.email)}`));
    expect(row?.failures).toBe(5);
    expect(row?.blockedUntil).not.toBeNull();
  });

  it('backs off exponentially per account, and a good password starts it from zero', async () => {
    const gql = createTestApi(
      db.db,
      testConfig({ loginMaxFailures: 3, portalForwardSecret: SECRET }),
    );
    const user = await makeUser(db.db, 'steward');
    const headers = { [CLIENT_ADDRESS_HEADER]: signClientAddress(SECRET, '192.0.2.77') };
    const fail = () => gql<LoginAnswer>(LOGIN, { e: user.email, p: 'not it at all' }, { headers });
    for (let i = 0; i < 3; i += 1)
      expect((await fail()).data?.login.__typename).toBe('UnauthenticatedError');
    // Each wait is read from the row (block end − attempt time), so a slow machine cannot
    // change the figures; every refused attempt in between is refused without a check.
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [row] = await db.db
        .select()
        .from(attemptThrottles)
        .where(eq(attemptThrottles.key, `login:account:${emailKey(user.email)}`));
      waits.push(row!.blockedUntil!.getTime() - row!.lastAttemptAt.getTime());
      await db.db.execute(
        sql`update attempt_throttles set blocked_until = now() + interval '1 hour'
          where key = ${`login:account:${emailKey(user.email)}`}`,
      );
      expect((await fail()).data?.login.__typename).toBe('RateLimitedError');
      await waitPassed();
      expect((await fail()).data?.login.__typename).toBe('UnauthenticatedError');
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    await waitPassed();
    const ok = await gql<LoginAnswer>(LOGIN, { e: user.email, p: TEST_PASSWORD }, { headers });
    expect(ok.data?.login.__typename).toBe('MutationLoginSuccess');
    expect((await fail()).data?.login.__typename).toBe('UnauthenticatedError');
  });

  it('made-up e-mails from one client through the portal do not lock out anyone else', async () => {
    const gql = createTestApi(db.db, testConfig({ portalForwardSecret: SECRET }));
    const attacker = { [CLIENT_ADDRESS_HEADER]: signClientAddress(SECRET, '203.0.113.9') };
    const answers: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const res = await gql<LoginAnswer>(
        LOGIN,
        { e: `nobody-${randomUUID().slice(0, 8)}@example.org`, p: 'guess guess guess' },
        { headers: attacker },
      );
      answers.push(res.data!.login.__typename);
    }
    // The attacker's own address is slowed down...
    expect(answers).toContain('RateLimitedError');
    // ...and a participant behind the same portal, from another address, signs in at once.
    const participant = await makeUser(db.db, 'participant');
    const res = await gql<LoginAnswer>(
      LOGIN,
      { e: participant.email, p: TEST_PASSWORD },
      { headers: { [CLIENT_ADDRESS_HEADER]: signClientAddress(SECRET, '198.51.100.7') } },
    );
    expect(res.data?.login.__typename).toBe('MutationLoginSuccess');
  });

  it('a forged or unsigned client header is ignored: it cannot pick the rate-limit key', async () => {
    const gql = createTestApi(db.db, testConfig({ portalForwardSecret: SECRET }));
    const answers: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const forged = signClientAddress('not-the-shared-secret-at-all-0123456789', `10.9.8.${i}`);
      const res = await gql<LoginAnswer>(
        LOGIN,
        { e: `forger-${i}@example.org`, p: 'guess guess guess' },
        { headers: { [CLIENT_ADDRESS_HEADER]: forged, 'x-forwarded-for': `10.1.1.${i}` } },
      );
      answers.push(res.data!.login.__typename);
    }
    expect(answers.slice(-1)).toEqual(['RateLimitedError']);
  });

  it('behind a trusted proxy the right-most X-Forwarded-For counts, not the client-written left-most', async () => {
    const gql = createTestApi(db.db, testConfig({ trustedProxies: 1 }));
    const answers: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const res = await gql<LoginAnswer>(
        LOGIN,
        { e: `spoofer-${i}@example.org`, p: 'guess guess guess' },
        // The client writes a fresh left-most address each time; the proxy appends the real one.
        { headers: { 'x-forwarded-for': `10.0.${i}.1, 192.0.2.50` } },
      );
      answers.push(res.data!.login.__typename);
    }
    expect(answers.slice(-1)).toEqual(['RateLimitedError']);
    const other = await makeUser(db.db, 'researcher');
    const res = await gql<LoginAnswer>(
      LOGIN,
      { e: other.email, p: TEST_PASSWORD },
      { headers: { 'x-forwarded-for': '192.0.2.51' } },
    );
    expect(res.data?.login.__typename).toBe('MutationLoginSuccess');
  });
});
