import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConnection } from '../chain/chain-connection.js';
import { signingKey } from '../grants/passport/signing-key.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { embeddedConnection, openTestLedger } from '../../test/test-chain.js';
import { DEMO_SELF_MEMBER_ID, seedDemoNetwork } from './demo-network.js';

describe('the demo network on the embedded chain', () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let connection: ChainConnection;

  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
    connection = embeddedConnection(embedded);
  });
  afterAll(async () => {
    await embedded?.chain.close();
    await db?.dispose();
  });

  it('makes this server a founding member with its real Passport key, and leaves one vote open', async () => {
    expect(await seedDemoNetwork(db.db, connection, 'http://127.0.0.1:4000')).toBe(true);
    const self = await embedded.ledger.memberByWriter(embedded.sender);
    expect(self).toMatchObject({
      id: DEMO_SELF_MEMBER_ID,
      passport_jwks_url: 'http://127.0.0.1:4000/.well-known/jwks.json',
      passport_key_ids: [(await signingKey(db.db)).kid],
      beacon_url: 'http://127.0.0.1:4000/api/beacon',
    });
    expect((await embedded.ledger.network()).bootstrap_closed).toBe(true);
    const [proposal] = await embedded.ledger.membershipProposals();
    expect(proposal).toMatchObject({
      status: 'open',
      proposer: 'northside-clinic',
      electorate: [DEMO_SELF_MEMBER_ID, 'northside-clinic'],
    });
  });

  it('does nothing once the chain has members', async () => {
    expect(await seedDemoNetwork(db.db, connection, 'http://127.0.0.1:4000')).toBe(false);
    expect((await embedded.ledger.members()).map((m) => m.id)).toEqual([
      DEMO_SELF_MEMBER_ID,
      'northside-clinic',
    ]);
  });
});
