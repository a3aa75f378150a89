import { forgetCachedSessions } from '../accounts/session-cache.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { signClientAddress } from '../../http/client-address.js';
import { CLIENT_USER_AGENT_HEADER, signUserAgent } from '../../http/client-device.js';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { TEST_PASSWORD, createTestApi, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SECRET = 'a shared secret between the portal and the API';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on MutationLoginSuccess { data { token } } } }`;
const MY_SESSIONS = `{ mySessions { id device amr createdAt lastSeenAt current } }`;
const END = `mutation($id: ID!) { endSession(id: $id) {
  __typename ... on MutationEndSessionSuccess { data } ... on Error { code } } }`;
const ME = `{ me { id } }`;

interface Listed {
  id: string;
  device: string | null;
  amr: string[];
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

describe(`where you are signed in (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db, testConfig({ portalForwardSecret: SECRET }));
  });
  afterAll(() => db.dispose());

  const login = async (email: string, headers: Record<string, string>) => {
    const res = await gql<{ login: { data?: { token: string } } }>(
      LOGIN,
      { e: email, p: TEST_PASSWORD },
      { headers },
    );
    const token = res.data?.login.data?.token;
    if (!token) throw new Error(`login failed: ${JSON.stringify(res)}`);
    return token;
  };
  const list = async (token: string) =>
    (await gql<{ mySessions: Listed[] }>(MY_SESSIONS, {}, { token })).data?.mySessions ?? [];
  const signedIn = async (token: string) =>
    (await gql<{ me: { id: string } | null }>(ME, {}, { token })).data?.me != null;
  const end = (token: string, id: string) =>
    gql<{ endSession: { __typename: string; data?: boolean; code?: string } }>(
      END,
      { id },
      { token },
    );

  it('lists each sign-in with its device, and marks the one asking', async () => {
    const user = await makeUser(db.db, 'researcher');
    const laptop = await login(user.email, { 'user-agent': FIREFOX_WINDOWS });
    const desktop = await login(user.email, { 'user-agent': CHROME_LINUX });
    const seen = await list(laptop);
    expect(seen).toHaveLength(2);
    const byDevice = new Map(seen.map((s) => [s.device, s]));
    expect(byDevice.get('Firefox on Windows')).toMatchObject({ current: true, amr: ['pwd'] });
    expect(byDevice.get('Chrome on Linux')).toMatchObject({ current: false, amr: ['pwd'] });
    const fromDesktop = await list(desktop);
    expect(fromDesktop.find((s) => s.current)?.device).toBe('Chrome on Linux');
  });

  it('ends the other session: its token stops working, the asker stays, and it is audited', async () => {
    const user = await makeUser(db.db, 'participant');
    const here = await login(user.email, { 'user-agent': FIREFOX_WINDOWS });
    const there = await login(user.email, { 'user-agent': CHROME_LINUX });
    const other = (await list(here)).find((s) => !s.current)!;
    const res = await end(here, other.id);
    expect(res.data?.endSession).toEqual({ __typename: 'MutationEndSessionSuccess', data: true });
    expect(await signedIn(there)).toBe(false);
    expect(await signedIn(here)).toBe(true);
    expect((await list(here)).map((s) => s.device)).toEqual(['Firefox on Windows']);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'auth.session.end',
      actorId: user.id,
      targetType: 'session',
      targetId: other.id,
    });
    // Already ended: nothing left to end.
    expect((await end(here, other.id)).data?.endSession).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ends the current session when asked, and nothing else', async () => {
    const user = await makeUser(db.db, 'participant');
    const here = await login(user.email, { 'user-agent': FIREFOX_WINDOWS });
    const there = await login(user.email, { 'user-agent': CHROME_LINUX });
    const current = (await list(here)).find((s) => s.current)!;
    expect((await end(here, current.id)).data?.endSession).toMatchObject({ data: true });
    expect(await signedIn(here)).toBe(false);
    expect(await signedIn(there)).toBe(true);
  });

  it("refuses to end someone else's session with NOT_FOUND and changes nothing", async () => {
    const victim = await makeUser(db.db, 'steward');
    const attacker = await makeUser(db.db, 'researcher');
    const victimToken = await login(victim.email, { 'user-agent': CHROME_LINUX });
    const attackerToken = await login(attacker.email, { 'user-agent': FIREFOX_WINDOWS });
    const target = (await list(victimToken))[0]!;
    const before = await auditCount(db.db);
    const res = await end(attackerToken, target.id);
    expect(res.data?.endSession).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await signedIn(victimToken)).toBe(true);
    expect(await auditCount(db.db)).toBe(before);
    // A malformed id is the same answer, not a database error.
    expect((await end(attackerToken, 'not-a-uuid')).data?.endSession).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps only the short device description: no raw User-Agent, no address', async () => {
    const user = await makeUser(db.db, 'participant');
    const address = '203.0.113.77';
    await login(user.email, {
      'user-agent': 'node', // the portal's own fetch
      'x-consentome-client': signClientAddress(SECRET, address),
      [CLIENT_USER_AGENT_HEADER]: signUserAgent(SECRET, FIREFOX_WINDOWS),
    });
    const rows = await queryRows<Record<string, unknown>>(
      db.db,
      sql`select * from sessions where user_id = ${user.id}`,
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(
      [
        'created_at',
        'device',
        'expires_at',
        'id',
        'last_seen_at',
        'revoked_at',
        'token_hash',
        'user_id',
      ].sort(),
    );
    expect(row.device).toBe('Firefox on Windows');
    const stored = JSON.stringify(row);
    expect(stored).not.toContain('Mozilla');
    expect(stored).not.toContain(address);
  });

  it('believes a forwarded User-Agent only when the portal signed it', async () => {
    const user = await makeUser(db.db, 'participant');
    const forged = await login(user.email, {
      'user-agent': CHROME_LINUX,
      [CLIENT_USER_AGENT_HEADER]: signUserAgent('not the shared secret', FIREFOX_WINDOWS),
    });
    const unsigned = await login(user.email, {
      'user-agent': CHROME_LINUX,
      [CLIENT_USER_AGENT_HEADER]: FIREFOX_WINDOWS,
    });
    const direct = await login(user.email, { 'user-agent': CHROME_LINUX });
    const device = async (token: string) => (await list(token)).find((s) => s.current)?.device;
    expect(await device(forged)).toBeNull();
    expect(await device(unsigned)).toBeNull();
    expect(await device(direct)).toBe('Chrome on Linux');
  });

  it('moves last-seen at most once a minute', async () => {
    const user = await makeUser(db.db, 'participant');
    const token = await login(user.email, { 'user-agent': CHROME_LINUX });
    const [first] = await list(token);
    await db.db.execute(
      sql`update sessions set last_seen_at = now() - interval '5 minutes' where id = ${first!.id}`,
    );
    // Written around the service: the process's session cache is told, as a tool must.
    forgetCachedSessions();
    const [touched] = await list(token);
    expect(Date.now() - Date.parse(touched!.lastSeenAt)).toBeLessThan(30_000);
    const [again] = await list(token);
    expect(again!.lastSeenAt).toBe(touched!.lastSeenAt);
  });
});
