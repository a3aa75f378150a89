import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../test/consent-preferences-input.js';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { createAppServices } from '../app/app-services.js';
import { createLogger } from '../lib/logger.js';
import { sessionlessUser, systemActor } from '../modules/actors/actor.js';
import { chainOutbox } from '../modules/chain/chain.tables.js';
import { OutboxRelay } from '../modules/chain/outbox-relay.js';
import { preferencesOf } from '../modules/consent/consent.types.js';
import { setPreferences } from '../modules/participation/set-preferences.service.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../modules/participants/participants.service.js';
import { TEST_PASSWORD, createTestApi, loginAs, testConfig } from '../test/in-process-api.js';
import { embeddedConnection, openTestLedger } from '../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { refusalAuditedTx } from './audit-refusals.js';
import type { AppServices, GraphQLContext } from './context.js';
import type { Config } from '../config.js';

/** The real relay, counting its wakes. */
class CountingRelay extends OutboxRelay {
  wakes = 0;
  override wake(): Promise<void> {
    this.wakes += 1;
    return super.wake();
  }
}

/** Enrols a fresh participant with an account; answers the account. */
function enrolledParticipant(db: TestDatabase, email: string) {
  return db.db.transaction(async (tx) => {
    const operator = systemActor('test');
    const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1980 });
    const { code } = await createEnrolmentCode(tx, operator, p.id);
    return enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'Wake' });
  });
}

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename } }`;

/**
 * The API wakes its relay after a GraphQL write commits: a participant's decision leaves for the
 * chain at once, not a relay period later. The relay here waits an hour between flushes, so only
 * the wake can have sent it.
 */
describe(`a GraphQL write wakes the outbox relay (${TEST_DRIVER})`, () => {
  let chain: EmbeddedLedger;
  let db: TestDatabase;

  beforeAll(async () => {
    chain = await openTestLedger();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
    await chain?.chain.close();
  });

  /**
   * Runs `test` against API services on the embedded chain whose relay counts its wakes (the test
   * starts it); stops the relay and disposes the services afterwards.
   */
  async function withCountingRelay(
    test: (relay: CountingRelay, services: AppServices, config: Config) => Promise<void>,
  ): Promise<void> {
    const relay = new CountingRelay(db.db, chain.ledger, createLogger('silent'));
    const config = testConfig();
    const services = createAppServices(db.db, config, { chain: embeddedConnection(chain), relay });
    try {
      await test(relay, services, config);
    } finally {
      await relay.stop();
      services.dispose();
    }
  }

  const pending = () => db.db.select().from(chainOutbox).where(eq(chainOutbox.status, 'pending'));

  it('sends the decision the write queued before the period ends', async () => {
    await withCountingRelay(async (relay, services, config) => {
      const gql = createTestApi(db.db, config, services);
      const { user } = await enrolledParticipant(db, 'wake@test.local');
      const token = await loginAs(gql, user);
      relay.start(3_600_000);
      await relay.wake(); // what enrolment queued is on chain: the outbox is empty now
      expect(await pending()).toEqual([]);
      const before = (await chain.ledger.head()).consents;
      // A read queues nothing and does not wake it (a flush on every query would cost a query).
      const wakesBefore = relay.wakes;
      const read = await gql(`{ myDataUse { __typename } }`, {}, { token });
      expect(read.errors).toBeUndefined();
      expect(relay.wakes).toBe(wakesBefore);

      const res = await gql(
        SET,
        {
          i: consentPreferencesInput(
            { gru: 'PERMIT', hmb: 'PERMIT', ds: 'PERMIT', poa: 'DENY', commercial: 'DENY' },
            { recontact: true },
          ),
        },
        { token },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        setConsentPreferences: { __typename: 'MutationSetConsentPreferencesSuccess' },
      });
      expect(relay.wakes).toBe(wakesBefore + 1);
      // Stopping waits for the flush in progress: the one the write woke.
      await relay.stop();
      expect(await pending()).toEqual([]);
      expect((await chain.ledger.head()).consents).toBeGreaterThan(before);
    });
  });

  // Workflow writes whose refusals are audited (answering a consent request, a vote, paper
  // consent) run through refusalAuditedTx: they must wake the relay as every other write does.
  it('a refusal-audited write that queued chain work wakes it too', async () => {
    await withCountingRelay(async (relay, services) => {
      const { user } = await enrolledParticipant(db, 'wake-audited@test.local');
      relay.start(3_600_000);
      await relay.wake();
      const wakesBefore = relay.wakes;
      const ctx = {
        db: db.db,
        viewer: sessionlessUser(user.id, 'participant'),
        services,
      } as unknown as GraphQLContext;
      // The service's own values (the GraphQL enum maps PERMIT to permit before a resolver runs).
      const input = consentPreferencesInput(
        {
          gru: 'permit',
          hmb: 'permit',
          ds: 'permit',
          poa: 'deny',
          methods: 'ask',
          commercial: 'deny',
        },
        { recontact: false },
      );
      await refusalAuditedTx(
        ctx,
        { action: 'consent_request.answer', targetType: 'participant' },
        (tx) => setPreferences(tx, ctx.viewer, preferencesOf(input)),
      );
      expect(relay.wakes).toBe(wakesBefore + 1);
      await relay.stop();
      expect(await pending()).toEqual([]);
    });
  });
});
