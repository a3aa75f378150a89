import { createHash, randomUUID } from 'node:crypto';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { TEST_PASSWORD, actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { openTestLedger } from '../../test/test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { ChainWorker } from '../chain/chain-worker.js';
import { verifyInclusion } from '../chain/merkle.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
  getParticipant,
} from '../participants/participants.service.js';

const TIMELINE = `{ myTimeline { seq action actorRole hash prevHash canonical
  proof { batch merkleRoot steps { side hash } txHash height } } }`;

type Timeline = {
  myTimeline: {
    seq: number;
    action: string;
    hash: string;
    prevHash: string;
    canonical: string;
    proof: {
      batch: number;
      merkleRoot: string;
      steps: { side: 'left' | 'right'; hash: string }[];
      txHash: string | null;
    } | null;
  }[];
};

describe(`a participant's own timeline with chain proofs (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let participantId = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
    gql = createTestApi(db.db);
    const operator = systemActor('test');
    await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'male', birthYear: 1990 });
      participantId = p.id;
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, {
        code,
        email: 'timeline@test.local',
        password: TEST_PASSWORD,
        displayName: 'T',
      });
    });
    token = await loginAs(gql, { email: 'timeline@test.local' } as never);
  });
  afterAll(async () => {
    await embedded.chain.close();
    await db.dispose();
  });

  it('lists the events about my data; each hash recomputes and each anchored event proves against the chain', async () => {
    await gql(`{ myParticipant { id } }`, {}, { token });
    const worker = new ChainWorker(db.db, embedded.ledger, createLogger('silent'), {
      maxEvents: 1_000,
      maxWaitMs: 0,
    });
    await worker.runOnce();
    const res = await gql<Timeline>(TIMELINE, {}, { token });
    expect(res.errors).toBeUndefined();
    const events = res.data!.myTimeline;
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['participant.create', 'participant.enrol', 'participant.read']),
    );
    const anchored = events.filter((e) => e.proof?.txHash);
    expect(anchored.length).toBeGreaterThanOrEqual(3);
    for (const e of events) {
      const recomputed = createHash('sha256')
        .update(Buffer.from(e.prevHash, 'hex'))
        .update(e.canonical, 'utf8')
        .digest('hex');
      expect(recomputed).toBe(e.hash);
    }
    for (const e of anchored) {
      expect(verifyInclusion(e.hash, e.proof!.steps, e.proof!.merkleRoot)).toBe(true);
      const onChain = await embedded.ledger.anchor(embedded.ledger.sender, e.proof!.batch);
      expect(onChain?.merkle_root).toBe(e.proof!.merkleRoot);
    }
    // A batch sealed before chunk roots existed is proved from the whole batch: the same steps.
    await db.exec(`update audit_batches set chunk_roots = null`);
    const legacy = await gql<Timeline>(TIMELINE, {}, { token });
    const stepsOf = (list: Timeline['myTimeline']) =>
      new Map(list.filter((e) => e.proof).map((e) => [e.seq, e.proof!.steps]));
    const chunked = stepsOf(events);
    expect(chunked.size).toBeGreaterThanOrEqual(3);
    const whole = stepsOf(legacy.data!.myTimeline);
    expect([...whole.keys()]).toEqual([...chunked.keys()]);
    for (const [seq, steps] of whole) expect(steps).toEqual(chunked.get(seq));
    // Looking at one's own trail is itself recorded (and not yet sealed, so it has no proof yet).
    const again = await gql<Timeline>(TIMELINE, {}, { token });
    expect(again.data!.myTimeline[0]).toMatchObject({ action: 'audit.read', proof: null });
  });

  it('words every event, puts uses by others apart from my own activity and sums them up', async () => {
    const steward = await makeUser(db.db, 'steward');
    const researcher = await makeUser(db.db, 'researcher');
    const [studyA, studyB] = [randomUUID(), randomUUID()];
    await db.db.transaction(async (tx) => {
      await getParticipant(tx, actorOf(steward), participantId);
      for (const study of [studyA, studyB])
        await appendAuditEvent(tx, actorOf(researcher), {
          action: 'consent_request.create',
          targetType: 'study',
          targetId: study,
          participantId,
        });
      await appendAuditEvent(tx, actorOf(researcher), {
        action: 'export.include',
        targetType: 'study',
        targetId: studyA,
        participantId,
      });
    });
    const query = `query ($kind: EventKind) { myTimeline(kind: $kind) { action sentence kind actorRole } }`;
    type Rows = {
      myTimeline: { action: string; sentence: string; kind: string; actorRole: string }[];
    };
    const uses = (await gql<Rows>(query, { kind: 'USE' }, { token })).data!.myTimeline;
    expect(uses.map((e) => e.action)).toEqual(
      expect.arrayContaining(['export.include', 'consent_request.create', 'participant.read']),
    );
    expect(uses.every((e) => e.kind === 'USE' && e.actorRole !== 'participant')).toBe(true);
    expect(uses.find((e) => e.action === 'export.include')?.sentence).toBe(
      'Your data was included in a study’s export',
    );
    const own = (await gql<Rows>(query, { kind: 'OWN' }, { token })).data!.myTimeline;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.kind === 'OWN')).toBe(true);
    expect(own.map((e) => e.action)).toContain('audit.read');
    expect(own.map((e) => e.action)).not.toContain('export.include');
    const all = (await gql<Rows>(query, {}, { token })).data!.myTimeline;
    expect(all.every((e) => !e.sentence.includes('.'))).toBe(true);

    type Summary = { myTimelineSummary: Record<string, number | string | null> };
    const summary = await gql<Summary>(
      `{ myTimelineSummary { studiesAsked studiesUsed usesByOthers ownActivity lastUseAt } }`,
      {},
      { token },
    );
    expect(summary.errors).toBeUndefined();
    expect(summary.data!.myTimelineSummary).toMatchObject({
      studiesAsked: 2,
      studiesUsed: 1,
      usesByOthers: uses.length,
    });
    expect(summary.data!.myTimelineSummary.lastUseAt).not.toBeNull();
  });

  it('other roles have no timeline of their own', async () => {
    const res = await gql(TIMELINE, {}, {});
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
