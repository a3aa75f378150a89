import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, signClientAddress } from '../../http/client-address.js';
import {
  TEST_PASSWORD,
  actorOf,
  createTestApi,
  makeUser,
  testConfig,
} from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { newEnrolmentCode, normaliseEnrolmentCode } from './enrolment-code.js';
import { createEnrolmentCode, createParticipant } from './participants.service.js';

const ENROL = `mutation($i: EnrolInput!) { enrol(input: $i) {
  __typename ... on Error { code } ... on RateLimitedError { retryAfterSeconds } } }`;
const SECRET = 'enrolment-throttle-test-secret-0123456789abcdef';

describe(`enrolment-code guessing (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db, testConfig({ portalForwardSecret: SECRET }));
  });
  afterAll(() => db.dispose());

  const from = (address: string) => ({
    headers: { [CLIENT_ADDRESS_HEADER]: signClientAddress(SECRET, address) },
  });
  const guess = (address: string, i: number) =>
    gql<{ enrol: { __typename: string } }>(
      ENROL,
      {
        i: {
          code: newEnrolmentCode(),
          email: `guess-${i}@example.org`,
          password: TEST_PASSWORD,
          displayName: 'Guesser',
        },
      },
      from(address),
    ).then((r) => r.data!.enrol.__typename);

  async function realCode(): Promise<string> {
    const steward = actorOf(await makeUser(db.db, 'steward'));
    return db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, steward, { sex: 'female', birthYear: 1990 });
      return (await createEnrolmentCode(tx, steward, p.id)).code;
    });
  }

  it('counts concurrent guesses from one client before checking them: 30 at once, 10 checked', async () => {
    const kinds = await Promise.all(Array.from({ length: 30 }, (_, i) => guess('203.0.113.5', i)));
    expect(kinds.filter((k) => k === 'ValidationError')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'RateLimitedError')).toHaveLength(20);
  });

  it('a guessing client does not stop a participant elsewhere from enrolling', async () => {
    const code = await realCode();
    const res = await gql<{ enrol: { __typename: string } }>(
      ENROL,
      { i: { code, email: 'real@example.org', password: TEST_PASSWORD, displayName: 'Real' } },
      from('198.51.100.20'),
    );
    expect(res.data?.enrol.__typename).toBe('MutationEnrolSuccess');
  });

  it('guesses spread over many clients meet the overall throttle, with a short wait', async () => {
    for (let c = 0; c < 21; c += 1)
      await Promise.all(Array.from({ length: 10 }, (_, i) => guess(`10.20.${c}.1`, i)));
    const res = await gql<{ enrol: { __typename: string; retryAfterSeconds: number } }>(
      ENROL,
      {
        i: {
          code: newEnrolmentCode(),
          email: 'x@example.org',
          password: TEST_PASSWORD,
          displayName: 'X',
        },
      },
      from('192.0.2.200'),
    );
    expect(res.data?.enrol.__typename).toBe('RateLimitedError');
    expect(res.data?.enrol.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('codes carry at least 64 bits: 16 symbols from an alphabet of 31', () => {
    const codes = Array.from({ length: 2_000 }, () => normaliseEnrolmentCode(newEnrolmentCode()));
    const symbols = new Set(codes.join(''));
    expect(new Set(codes.map((c) => c.length))).toEqual(new Set([16]));
    expect(symbols.size).toBe(31);
    expect(16 * Math.log2(symbols.size)).toBeGreaterThanOrEqual(64);
  });
});
