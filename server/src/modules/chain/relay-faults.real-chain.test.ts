import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import {
  RealChainSession,
  SigningConsentLedger,
  loadConsentLedgerWasm,
  readChainConfig,
  senderAddress,
  type CosmjsChainOptions,
} from '@consentome/contracts-client';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { openRealTestLedger, type TestLedger } from '../../test/real-test-chain.js';
import { enqueueConsentWorkload } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { chainOutbox } from './chain.tables.js';
import { OutboxRelay } from './outbox-relay.js';

const quiet = createLogger('silent');
const FAST = { claimLimit: 2_000, claimMs: 30_000, backoffBaseMs: 1, backoffMaxMs: 5 };

/** The wasm with one extra custom section: the same contract, another code (checksum). */
function otherCode(wasm: Uint8Array): Uint8Array {
  const name = Buffer.from('consentome-test');
  const payload = Buffer.from('another code');
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  return Buffer.concat([Buffer.from(wasm), Buffer.from([0, body.length]), body]);
}

/**
 * A relay with a wrong chain id, an unfunded key, too little gas or a contract of another code:
 * the error names the cause, the items stay queued, nothing is marked recorded, the chain is
 * unchanged. Then a correct relay sends the same items.
 */
describe(`relay configuration faults on the wasmd localnet (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let chain: TestLedger;
  beforeAll(async () => {
    db = await createTestDatabase();
    chain = await openRealTestLedger('relay faults');
  });
  afterAll(async () => {
    await chain?.close();
    await db?.dispose();
  });

  async function expectHeld(
    tag: string,
    env: Record<string, string>,
    cause: RegExp,
    options: CosmjsChainOptions = {},
  ): Promise<void> {
    const { eventIds } = await enqueueConsentWorkload(db.db, 2, 1, tag);
    const config = readChainConfig({
      ...process.env,
      CONSENT_CONTRACT_ADDRESS: chain.contractAddress,
      ...env,
    });
    if (config.mode !== 'real' || !config.contractAddress) throw new Error('real chain expected');
    const session = new RealChainSession(config, options);
    const ledger = new SigningConsentLedger(
      session,
      config.contractAddress,
      await senderAddress(config.mnemonic, config.prefix),
    );
    const before = await chain.ledger.head();
    try {
      const result = await new OutboxRelay(db.db, ledger, quiet, FAST).flush();
      expect(result).toMatchObject({ confirmed: 0, failed: 0, deferred: 2 });
    } finally {
      await session.close();
    }
    const rows = await db.db
      .select()
      .from(chainOutbox)
      .where(inArray(chainOutbox.eventId, eventIds));
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', receiptId: null, confirmedAt: null });
      expect(row.lastError).toMatch(cause);
    }
    expect(await chain.ledger.head()).toEqual(before);
    for (const id of eventIds) expect(await chain.ledger.event(id)).toBeNull();

    // Fixed configuration: the same items go out.
    await db.exec(`update chain_outbox set next_attempt_at = now() where status = 'pending'`);
    const fixed = await new OutboxRelay(db.db, chain.ledger, quiet, FAST).drain();
    expect(fixed).toMatchObject({ confirmed: 2, failed: 0 });
  }

  it('a node on another chain than CHAIN_ID', async () => {
    await expectHeld(
      'wrong-chain',
      { CHAIN_ID: 'another-chain' },
      /is on chain "consentome-local", not "another-chain" \(CHAIN_ID\)/,
    );
  });

  it('a key that was never funded', async () => {
    const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: 'wasm' });
    await expectHeld('unfunded', { CHAIN_MNEMONIC: wallet.mnemonic }, /does not exist on chain/);
  });

  it('too little gas', async () => {
    // Simulated gas × 0.3: the relay's own estimates are switched off to reach the fault.
    await expectHeld('out-of-gas', {}, /out of gas/i, {
      retry: { gasMultiplier: 0.3, maxGasMultiplier: 0.3 },
      gasEstimates: false,
    });
  });

  it('a contract address of another code', async () => {
    const { bytes } = await loadConsentLedgerWasm();
    const sender = chain.ledger.sender;
    const upload = await chain.backend.upload(sender, otherCode(bytes));
    const other = await chain.backend.instantiate(
      sender,
      upload.codeId,
      { admin: sender, writers: [sender] },
      'other code',
      sender,
    );
    await expectHeld(
      'other-code',
      { CONSENT_CONTRACT_ADDRESS: other.contractAddress },
      new RegExp(
        `runs code ${upload.codeId} with checksum ${upload.checksum}, not the consent-ledger`,
      ),
    );
  });
});
