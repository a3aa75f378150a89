import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { ForbiddenError, ValidationError } from '../../errors/app-errors.js';
import type { UserRecord } from '../accounts/accounts.service.js';
import { createParticipant } from '../participants/participants.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditActivity } from './audit-activity.service.js';
import { auditFacets } from './audit-facets.service.js';

const EVENTS = `query($f: AuditFilter) { auditEvents(filter: $f) {
  seq action actorId targetType targetId participantId participantPseudonym } }`;
const ACTIVITY = `query($f: AuditFilter, $b: AuditBucket) { auditActivity(filter: $f, bucket: $b) {
  bucket from to groups total buckets { start total counts { group count } } } }`;

type Row = { seq: number; action: string; targetId: string | null; participantPseudonym: string };

describe(`audit explorer on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let board: UserRecord;
  let token: string;
  let participant: { id: string; pseudonym: string };
  let steward: UserRecord;
  const studyId = 'b5a0f1c2-0000-4000-8000-000000000001';

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    board = await makeUser(db.db, 'ethics_board');
    steward = await makeUser(db.db, 'steward');
    token = await loginAs(gql, board);
    participant = await db.db.transaction((tx) =>
      createParticipant(tx, actorOf(steward), { sex: 'female' }),
    );
    await db.db.transaction(async (tx) => {
      await appendAuditEvent(tx, actorOf(steward), {
        action: 'study.approve',
        targetType: 'study',
        targetId: studyId,
      });
      await appendAuditEvent(tx, actorOf(steward), {
        action: 'participant.read',
        targetType: 'participant',
        targetId: participant.id,
        participantId: participant.id,
      });
    });
  });
  afterAll(() => db.dispose());

  it('filters by participant pseudonym, shows the pseudonym, and audits the read against that participant', async () => {
    const res = await gql<{ auditEvents: Row[] }>(
      EVENTS,
      { f: { participantPseudonym: participant.pseudonym } },
      { token },
    );
    expect(res.data?.auditEvents.length).toBeGreaterThan(0);
    for (const e of res.data!.auditEvents)
      expect(e.participantPseudonym).toBe(participant.pseudonym);
    const read = await lastAuditEvent(db.db);
    expect(read).toMatchObject({ action: 'audit.read', participantId: participant.id });
    expect(read?.payload).not.toContain(participant.pseudonym);
  });

  it('an unknown pseudonym matches nothing rather than failing', async () => {
    const res = await gql<{ auditEvents: Row[] }>(
      EVENTS,
      { f: { participantPseudonym: 'P-NOBODY99' } },
      { token },
    );
    expect(res.data?.auditEvents).toEqual([]);
  });

  it('filters by a generic target (type and id), action group, actor and actor role', async () => {
    const byTarget = await gql<{ auditEvents: Row[] }>(
      EVENTS,
      { f: { targetType: 'study', targetId: studyId } },
      { token },
    );
    expect(byTarget.data?.auditEvents.map((e) => e.action)).toEqual(['study.approve']);
    const byGroup = await gql<{ auditEvents: Row[] }>(
      EVENTS,
      { f: { actionGroup: 'study' } },
      { token },
    );
    expect(byGroup.data?.auditEvents.map((e) => e.action)).toEqual(['study.approve']);
    const byActor = await gql<{ auditEvents: { action: string; actorId: string }[] }>(
      EVENTS,
      { f: { actorId: steward.id, actorRole: 'steward' } },
      { token },
    );
    expect(new Set(byActor.data?.auditEvents.map((e) => e.actorId))).toEqual(new Set([steward.id]));
    expect(byActor.data?.auditEvents.map((e) => e.action)).toContain('participant.create');
  });

  it('refuses a reversed date range and a malformed pseudonym, naming the field', async () => {
    const res = await gql(
      EVENTS,
      { f: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
      { token },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    const error = await db.db
      .transaction((tx) =>
        auditActivity(tx, actorOf(board), { participantPseudonym: "x' or 1=1 --" }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.field).toBe('participantPseudonym');
  });

  it('counts events per hour and action group, fills empty buckets, and audits itself', async () => {
    const now = new Date();
    const from = new Date(now.getTime() - 5 * 3_600_000);
    const before = await auditCount(db.db);
    const res = await gql<{
      auditActivity: {
        bucket: string;
        groups: string[];
        total: number;
        buckets: { start: string; total: number; counts: { group: string; count: number }[] }[];
      };
    }>(ACTIVITY, { f: { from: from.toISOString(), to: now.toISOString() }, b: 'HOUR' }, { token });
    const activity = res.data!.auditActivity;
    expect(activity.bucket).toBe('HOUR');
    expect(activity.buckets).toHaveLength(6);
    expect(activity.buckets.slice(0, 4).every((b) => b.total === 0)).toBe(true);
    expect(new Date(activity.buckets[0]!.start).getUTCMinutes()).toBe(0);
    // Every event so far happened within the range; the activity read is recorded after them.
    expect(activity.total).toBe(before);
    expect(activity.buckets.reduce((n, b) => n + b.total, 0)).toBe(before);
    const studies = activity.buckets.flatMap((b) => b.counts).filter((c) => c.group === 'study');
    expect(studies.reduce((n, c) => n + c.count, 0)).toBe(1);
    expect(activity.groups).toEqual(
      expect.arrayContaining(['auth', 'audit', 'study', 'participant']),
    );
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'audit.activity',
      actorId: board.id,
    });
  });

  it('counts per UTC day under a filter, and refuses a range of too many buckets', async () => {
    const res = await gql<{ auditActivity: { total: number; buckets: unknown[] } }>(
      ACTIVITY,
      { f: { actionGroup: 'study' } },
      { token },
    );
    expect(res.data?.auditActivity.total).toBe(1);
    expect(res.data?.auditActivity.buckets.length).toBe(31);
    const tooLong = await gql(
      ACTIVITY,
      { f: { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, b: 'HOUR' },
      { token },
    );
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('facets list actions, target types and staff actors, never participants; audited', async () => {
    const facets = await db.db.transaction((tx) => auditFacets(tx, actorOf(board)));
    expect(facets.actions).toEqual(expect.arrayContaining(['study.approve', 'auth.login']));
    expect(facets.targetTypes).toEqual(expect.arrayContaining(['study', 'participant']));
    expect(facets.actors.map((a) => a.id)).toEqual(expect.arrayContaining([board.id, steward.id]));
    expect(facets.actors.every((a) => a.role !== 'participant')).toBe(true);
    expect((await lastAuditEvent(db.db))?.action).toBe('audit.facets');
  });

  it('only boards and admins read activity and facets', async () => {
    const researcher = await makeUser(db.db, 'researcher');
    await expect(
      db.db.transaction((tx) => auditFacets(tx, actorOf(researcher))),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      db.db.transaction((tx) => auditActivity(tx, actorOf(researcher), {})),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const res = await gql(
      `{ auditFacets { actions } }`,
      {},
      { token: await loginAs(gql, researcher) },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
