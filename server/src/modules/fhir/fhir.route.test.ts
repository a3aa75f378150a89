import type { AuditEvent, Bundle, Consent, OperationOutcome } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { TEST_PASSWORD, actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { sealAuditBatches } from '../chain/audit-batcher.js';
import { chainOutbox, chainReceipts } from '../chain/chain.tables.js';
import { setConsentPreferences } from '../consent/consent.service.js';
import { withdrawConsent } from '../participation/withdraw-participant.service.js';
import { DEFAULT_PREFERENCES } from '../consent/preferences.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { fhirRoute } from './fhir.route.js';

describe(`FHIR R4 endpoints (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let route: ReturnType<typeof fhirRoute>;
  const tokens: Record<string, string> = {};
  const people: Record<string, { pseudonym: string; actor: ReturnType<typeof actorOf> }> = {};

  async function enrol(pseudonym: string) {
    const steward = actorOf(await makeUser(db.db, 'steward'));
    const email = `${pseudonym.toLowerCase()}@test.local`;
    const { user } = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, steward, { sex: 'female', pseudonym });
      const { code } = await createEnrolmentCode(tx, steward, p.id);
      return enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'P' });
    });
    people[pseudonym] = { pseudonym, actor: actorOf(user) };
    return email;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    route = fhirRoute(db.db);
    const gql = createTestApi(db.db);
    for (const role of ['ethics_board', 'admin', 'researcher', 'steward'] as const)
      tokens[role] = await loginAs(gql, await makeUser(db.db, role));
    tokens.alice = await loginAs(gql, { email: await enrol('P-ALICE') } as never);
    tokens.bob = await loginAs(gql, { email: await enrol('P-BOB') } as never);
  });
  afterAll(() => db.dispose());

  async function get<T>(path: string, token?: string) {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const url = path.startsWith('http') ? path : `http://test.local/fhir${path}`;
    const res = await route.handler(new Request(url, { headers }), {});
    const body = (await res.json()) as T;
    return { status: res.status, body, type: res.headers.get('content-type') };
  }

  function expectValid(resource: unknown) {
    expect(fhirSchemaErrors(resource)).toEqual([]);
  }

  it('serves a valid CapabilityStatement without a token', async () => {
    const res = await get<{ resourceType: string; rest: { resource: { type: string }[] }[] }>(
      '/metadata',
    );
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/fhir+json');
    expect(res.body.rest[0]!.resource.map((r) => r.type)).toEqual([
      'AuditEvent',
      'Consent',
      'Condition',
      'Observation',
      'Provenance',
      'Patient',
    ]);
    const byType = new Map(
      (
        res.body.rest[0]!.resource as {
          type: string;
          interaction?: { code: string }[];
          operation?: { name: string; definition: string }[];
        }[]
      ).map((r) => [r.type, r]),
    );
    expect(byType.get('Patient')!.operation).toEqual([
      expect.objectContaining({
        name: 'everything',
        definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
      }),
    ]);
    for (const type of ['Condition', 'Observation'])
      expect(byType.get(type)!.interaction!.map((i) => i.code)).toEqual(['create']);
    // Only what is served: no Patient or Provenance read.
    expect(byType.get('Patient')!.interaction).toBeUndefined();
    expect(byType.get('Provenance')!.interaction).toBeUndefined();
    expectValid(res.body);
  });

  it('answers OperationOutcomes: 401 without a token, 403 for other roles, 400 bad params', async () => {
    const anon = await get<OperationOutcome>('/AuditEvent');
    expect(anon.status).toBe(401);
    expectValid(anon.body);
    for (const role of ['researcher', 'steward']) {
      expect((await get('/AuditEvent', tokens[role])).status).toBe(403);
      expect((await get('/Consent?patient=P-ALICE', tokens[role])).status).toBe(403);
    }
    for (const q of ['_count=0', 'date=yesterday', 'action=X', 'bogus=1', '_cursor=-1']) {
      const res = await get<OperationOutcome>(`/AuditEvent?${q}`, tokens.ethics_board);
      expect(res.status, q).toBe(400);
      expect(res.body.issue[0]!.code).toBe('invalid');
      expectValid(res.body);
    }
    expect((await get('/Patient/P-ALICE', tokens.ethics_board)).status).toBe(404);
  });

  it('pages through every audit event with next links, each page valid and audited', async () => {
    const total = await auditCount(db.db);
    const seen: number[] = [];
    let url: string | undefined = '/AuditEvent?_count=7';
    let pages = 0;
    while (url) {
      const before = await auditCount(db.db);
      const res: { status: number; body: Bundle<AuditEvent> } = await get<Bundle<AuditEvent>>(
        url,
        tokens.ethics_board,
      );
      expect(res.status).toBe(200);
      expectValid(res.body);
      expect(res.body.type).toBe('searchset');
      seen.push(...(res.body.entry ?? []).map((e) => Number(e.resource!.id)));
      expect(await auditCount(db.db)).toBe(before + 1);
      expect((await lastAuditEvent(db.db))?.action).toBe('fhir.read');
      url = res.body.link?.find((l) => l.relation === 'next')?.url;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
  });

  it('maps an event: patient by pseudonym, never the UUID; hash chain and anchor details', async () => {
    await db.db.update(chainOutbox).set({ status: 'pending' });
    await sealAuditBatches(db.db, { maxEvents: 1000, maxWaitMs: 0 });
    const [receipt] = await db.db
      .insert(chainReceipts)
      .values({
        chainId: 'consentome-test',
        txHash: 'AB'.repeat(32),
        height: 42,
        blockTime: '2026-11-27T00:00:00Z',
        digest: 'd',
        headHash: 'h',
        items: 1,
      })
      .returning();
    await db.db
      .update(chainOutbox)
      .set({ status: 'confirmed', receiptId: receipt!.id })
      .where(eqEventId('audit-batch:1'));
    const res = await get<Bundle<AuditEvent>>('/AuditEvent?patient=P-ALICE', tokens.admin);
    expectValid(res.body);
    const events = res.body.entry!.map((e) => e.resource!);
    expect(events.length).toBeGreaterThan(0);
    const created = events.find((e) => e.subtype?.[0]?.code === 'participant.create')!;
    expect(created.action).toBe('C');
    expect(created.outcome).toBe('0');
    expect(created.agent[0]!.requestor).toBe(true);
    expect(created.entity?.[0]?.what?.reference).toBe('Patient/P-ALICE');
    const details = Object.fromEntries(
      created.entity!.at(-1)!.detail!.map((d) => [d.type, d.valueString]),
    );
    expect(details).toMatchObject({ 'anchor.batch': '1', 'anchor.txHash': 'AB'.repeat(32) });
    expect(details.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(res.body)).not.toContain(
      (await lastAuditEvent(db.db))!.participantId ?? 'never',
    );
    const one = await get<AuditEvent>(`/AuditEvent/${created.id}`, tokens.ethics_board);
    expect(one.status).toBe(200);
    expectValid(one.body);
    expect(one.body.id).toBe(created.id);
  });

  it('a participant sees only their own events; naming another answers 404', async () => {
    const own = await get<Bundle<AuditEvent>>('/AuditEvent', tokens.alice);
    expect(own.status).toBe(200);
    const refs = own.body.entry!.flatMap((e) => e.resource!.entity!.map((x) => x.what?.reference));
    expect(refs).toContain('Patient/P-ALICE');
    expect(refs).not.toContain('Patient/P-BOB');
    expect((await get('/AuditEvent?patient=P-BOB', tokens.alice)).status).toBe(404);
    const bobs = await get<Bundle<AuditEvent>>('/AuditEvent?patient=P-BOB', tokens.ethics_board);
    const bobEvent = bobs.body.entry![0]!.resource!.id!;
    expect((await get(`/AuditEvent/${bobEvent}`, tokens.alice)).status).toBe(404);
  });

  it('searches by action and by date', async () => {
    const reads = await get<Bundle<AuditEvent>>('/AuditEvent?action=R&_count=200', tokens.admin);
    expect(reads.body.entry!.length).toBeGreaterThan(0);
    expect(reads.body.entry!.every((e) => e.resource!.action === 'R')).toBe(true);
    const creates = await get<Bundle<AuditEvent>>('/AuditEvent?action=C,E', tokens.admin);
    expect(creates.body.entry!.every((e) => ['C', 'E'].includes(e.resource!.action!))).toBe(true);
    const future = await get<Bundle<AuditEvent>>('/AuditEvent?date=ge2100-01-01', tokens.admin);
    expect(future.body.entry ?? []).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const range = await get<Bundle<AuditEvent>>(
      `/AuditEvent?date=ge${today}&date=le${today}&_count=3`,
      tokens.admin,
    );
    expect(range.body.entry!.length).toBe(3);
    const past = await get<Bundle<AuditEvent>>('/AuditEvent?date=lt2000', tokens.admin);
    expect(past.body.entry ?? []).toEqual([]);
  });

  it('Consent follows preference changes, with versionId and history; reads are audited', async () => {
    const before = await get<Consent>('/Consent/P-ALICE', tokens.alice);
    expect(before.status).toBe(200);
    expectValid(before.body);
    expect(before.body.meta?.versionId).toBe('0');
    expect(before.body.provision?.type).toBe('deny');

    await db.db.transaction((tx) =>
      setConsentPreferences(tx, people['P-ALICE']!.actor, {
        ...DEFAULT_PREFERENCES,
        purposes: {
          ...DEFAULT_PREFERENCES.purposes,
          GRU: 'permit',
          POA: 'deny',
          METHODS: 'permit',
        },
      }),
    );
    const count = await auditCount(db.db);
    const after = await get<Consent>('/Consent/P-ALICE', tokens.ethics_board);
    expect(await auditCount(db.db)).toBe(count + 1);
    expect((await lastAuditEvent(db.db))?.action).toBe('fhir.read');
    expectValid(after.body);
    expect(after.body).toMatchObject({
      status: 'active',
      meta: { versionId: '1' },
      patient: { reference: 'Patient/P-ALICE' },
      provision: { type: 'permit' },
    });
    const byPurpose = Object.fromEntries(
      after.body.provision!.provision!.map((p) => [p.purpose![0]!.code, p]),
    );
    expect(byPurpose['DUO:0000042']?.type).toBe('permit');
    expect(byPurpose['DUO:0000011']?.type).toBe('deny');
    expect(byPurpose['DUO:0000011']?.extension).toBeUndefined();
    expect(byPurpose['DUO:0000006']).toMatchObject({
      type: 'deny',
      extension: [{ valueBoolean: true }],
    });
    expect(byPurpose.METHODS?.type).toBe('permit');

    await db.db.transaction((tx) =>
      withdrawConsent(tx, people['P-ALICE']!.actor, { confirm: true }),
    );
    const history = await get<Bundle<Consent>>('/Consent/P-ALICE/_history', tokens.alice);
    expectValid(history.body);
    expect(history.body.type).toBe('history');
    expect(history.body.entry!.map((e) => e.resource!.meta!.versionId)).toEqual(['2', '1']);
    expect(history.body.entry![0]!.resource!.status).toBe('inactive');
    expect(history.body.entry![1]!.resource!.status).toBe('active');
    const v1 = await get<Consent>('/Consent/P-ALICE/_history/1', tokens.alice);
    expect(v1.body.provision?.type).toBe('permit');

    const search = await get<Bundle<Consent>>('/Consent?patient=P-ALICE', tokens.admin);
    expectValid(search.body);
    expect(search.body.entry![0]!.resource!.meta!.versionId).toBe('2');
    const mine = await get<Bundle<Consent>>('/Consent', tokens.alice);
    expect(mine.body.entry![0]!.resource!.id).toBe('P-ALICE');
  });

  it('Consent: own only for participants (404 otherwise), any for boards', async () => {
    expect((await get('/Consent/P-ALICE', tokens.bob)).status).toBe(404);
    expect((await get('/Consent/P-ALICE/_history', tokens.bob)).status).toBe(404);
    expect((await get('/Consent?patient=P-ALICE', tokens.bob)).status).toBe(404);
    expect((await get('/Consent/P-NOBODY', tokens.bob)).status).toBe(404);
    expect((await get('/Consent/P-BOB', tokens.ethics_board)).status).toBe(200);
    expect((await get('/Consent/P-NOBODY', tokens.ethics_board)).status).toBe(404);
    expect((await get('/Consent', tokens.ethics_board)).status).toBe(400);
    expect((await get('/Consent/P-BOB')).status).toBe(401);
  });
});

function eqEventId(id: string) {
  return eq(chainOutbox.eventId, id);
}
