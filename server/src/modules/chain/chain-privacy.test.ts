import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { enqueueConsentWorkload, openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { datasets } from '../datasets/datasets.tables.js';
import { DEMO_ACCOUNTS, DEMO_ASSISTED_ACCOUNTS } from '../demo/demo-accounts.js';
import { seedDemo } from '../demo/seed-demo.js';
import { participants } from '../participants/participants.tables.js';
import { eraseParticipant } from '../participation/erase-participant.service.js';
import { eq } from 'drizzle-orm';
import { chainOutbox } from './chain.tables.js';
import { ChainWorker } from './chain-worker.js';

/**
 * After a demo workload (accounts, participants, datasets, consent decisions, an erasure, audit
 * anchors),
 * nothing that identifies a person, and no free text, may be found anywhere the chain keeps
 * data: the contract's storage and every transaction message, as persisted on disk.
 */
describe(`no personal data on chain (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-chain-privacy-'));
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the chain state and its transaction log hold only digests, ids of our own and codes', async () => {
    await seedDemo(db.db);
    // An erasure first: its withdrawal goes on chain too, and the scan covers it.
    const [steward] = await db.db.select().from(users).where(eq(users.email, 'steward@demo.local'));
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    await db.db.transaction((tx) =>
      eraseParticipant(
        tx,
        { kind: 'user', userId: steward!.id, role: 'steward', sessionId: null },
        { participantId: patient!.id, confirmation: 'erase P-DEMO0001' },
      ),
    );
    await enqueueConsentWorkload(db.db, 20, 2, 'privacy');
    const embedded = await openTestLedger(dir);
    const worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 50,
      maxWaitMs: 0,
    });
    const result = await worker.runOnce();
    expect(result.failed).toBe(0);
    const head = await embedded.ledger.head();
    const queued = await db.db.select().from(chainOutbox).where(eq(chainOutbox.kind, 'consent'));
    // The demo participant's own preferences, and the workload's 20 × 2 decisions.
    expect(head.consents).toBe(queued.length);
    expect(queued.length).toBeGreaterThan(40);
    expect(head.anchors).toBeGreaterThan(0);
    await embedded.chain.checkpoint();
    await embedded.chain.close();

    const persisted = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(persisted.length).toBeGreaterThan(1_000);
    // Storage values may be base64: search both the plain and the decoded forms.
    const decoded = [...persisted.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)]
      .map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'))
      .join('\n');
    const haystack = `${persisted}\n${decoded}`.toLowerCase();

    const people = await db.db.select().from(users);
    const records = await db.db.select().from(participants);
    const sets = await db.db.select().from(datasets);
    const forbidden = [
      ...people.flatMap((u) => [u.email, u.displayName, u.id]),
      ...DEMO_ACCOUNTS.map((a) => a.displayName),
      ...Object.values(DEMO_ASSISTED_ACCOUNTS).map((a) => a.displayName),
      ...records.flatMap((p) => [p.id, p.pseudonym]),
      ...sets.flatMap((d) => [d.id, d.name, d.description.slice(0, 30)]),
      '@demo.local',
      'P-DEMO0001',
    ];
    const found = forbidden.filter(
      (needle) => needle.length >= 4 && haystack.includes(needle.toLowerCase()),
    );
    expect(found).toEqual([]);
  }, 180_000); // seeds the whole demo (a workflow included) inside the test
});
