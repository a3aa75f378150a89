import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../errors/app-errors.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { actorOf, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import type { UserRecord } from '../accounts/accounts.service.js';
import { systemActor } from '../actors/actor.js';
import { notifications } from '../notifications/notifications.tables.js';
import { createParticipant } from '../participants/participants.service.js';
import { createDac } from '../dacs/dacs.service.js';
import { STUDY_STATUSES, consentRequests, studies, studyElections } from './studies.tables.js';
import { canTransition, transition, type StudyStatus } from './study-lifecycle.js';

// The legal moves, written out independently of STUDY_TRANSITIONS: every pair not listed here
// must be refused.
const LEGAL: [StudyStatus, StudyStatus][] = [
  ['draft', 'institution_review'],
  ['draft', 'submitted'],
  ['draft', 'withdrawn'],
  ['institution_review', 'submitted'],
  ['institution_review', 'draft'],
  ['institution_review', 'rejected'],
  ['institution_review', 'withdrawn'],
  ['submitted', 'under_review'],
  ['submitted', 'approved'],
  ['submitted', 'rejected'],
  ['submitted', 'withdrawn'],
  ['under_review', 'under_review'],
  ['under_review', 'approved'],
  ['under_review', 'rejected'],
  ['under_review', 'withdrawn'],
  ['approved', 'expired'],
  ['approved', 'revoked'],
  ['approved', 'closed_out'],
];
const isLegal = (from: StudyStatus, to: StudyStatus) =>
  LEGAL.some(([f, t]) => f === from && t === to);
const PAIRS = STUDY_STATUSES.flatMap((from) => STUDY_STATUSES.map((to) => [from, to] as const));
const ENDING: StudyStatus[] = ['rejected', 'withdrawn', 'expired', 'revoked', 'closed_out'];
const AUDITED: Partial<Record<StudyStatus, string>> = {
  institution_review: 'study.submit',
  submitted: 'study.submit',
  approved: 'study.approve',
  rejected: 'study.reject',
  withdrawn: 'study.withdraw',
};

describe('study lifecycle rules', () => {
  it.each(PAIRS)('%s → %s is legal only if listed', (from, to) => {
    expect(canTransition(from, to)).toBe(isLegal(from, to));
  });
});

describe(`study lifecycle transitions (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let owner: UserRecord;
  let participantId = '';
  let dacId = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await makeUser(db.db, 'researcher');
    const board = await makeUser(db.db, 'ethics_board');
    // The board member sits on the committee holding an election on every study here, so a
    // submission is theirs to hear about.
    dacId = (
      await db.db.transaction((tx) =>
        createDac(tx, systemActor('test'), { name: 'Lifecycle DAC', memberIds: [board.id] }),
      )
    ).id;
    const participant = await db.db.transaction((tx) =>
      createParticipant(tx, systemActor('test'), { sex: 'unknown' }),
    );
    participantId = participant.id;
  });
  afterAll(() => db?.dispose());

  /** A study of `owner` at `status`, with one participant still asked. */
  async function studyAt(status: StudyStatus): Promise<string> {
    const id = randomUUID();
    await db.db.insert(studies).values({
      id,
      ownerId: owner.id,
      title: `Lifecycle ${status}`,
      laySummary: 'A study used to test its lifecycle.',
      purpose: { primary: 'GRU', commercial: false },
      status,
    });
    await db.db
      .insert(consentRequests)
      .values({ id: randomUUID(), studyId: id, participantId, status: 'pending' });
    await db.db
      .insert(studyElections)
      .values({ id: randomUUID(), studyId: id, dacId, datasetIds: [], deadlineAt: new Date() });
    return id;
  }

  async function stateOf(id: string) {
    const [study] = await db.db.select().from(studies).where(eq(studies.id, id));
    const [request] = await db.db
      .select()
      .from(consentRequests)
      .where(and(eq(consentRequests.studyId, id)));
    return { status: study!.status, request: request!.status };
  }

  it.each(PAIRS.filter(([from, to]) => !isLegal(from, to)))(
    'refuses %s → %s with a conflict and changes nothing',
    async (from, to) => {
      const id = await studyAt(from);
      await expect(
        db.db.transaction((tx) => transition(tx, actorOf(owner), id, to)),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await stateOf(id)).toEqual({ status: from, request: 'pending' });
    },
  );

  it.each(LEGAL)(
    'moves %s → %s, closing requests when it ends, audited and told',
    async (from, to) => {
      const id = await studyAt(from);
      const moved = await db.db.transaction((tx) =>
        transition(tx, actorOf(owner), id, to, { payload: { test: true } }),
      );
      expect(moved.status).toBe(to);
      expect(await stateOf(id)).toEqual({
        status: to,
        request: ENDING.includes(to) ? 'closed' : 'pending',
      });
      const action = AUDITED[to];
      if (action) {
        const events = await auditEventsWithAction(db.db, action);
        expect(events.filter((e) => e.targetId === id)).toHaveLength(1);
      }
      const told = await db.db
        .select()
        .from(notifications)
        .where(eq(notifications.link, `/${to === 'submitted' ? 'review' : 'studies'}/${id}`));
      expect(told.length > 0).toBe(['submitted', 'approved', 'rejected'].includes(to));
    },
  );
});
