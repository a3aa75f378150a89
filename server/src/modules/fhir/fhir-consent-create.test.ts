import type { Bundle, CapabilityStatement, Consent, OperationOutcome } from '@medplum/fhirtypes';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { TEST_PASSWORD, actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { preferenceHistory } from '../consent/consent.service.js';
import { withdrawConsent } from '../participation/withdraw-participant.service.js';
import { consentPreferences } from '../consent/consent.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { participants } from '../participants/participants.tables.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { MAX_FHIR_BODY_BYTES } from './fhir-request-body.js';
import { fhirRoute } from './fhir.route.js';

const DUO = 'http://purl.obolibrary.org/obo/duo';
const OWN = 'https://consentome.example/fhir/CodeSystem/consent-scope';
const EXT = 'https://consentome.example/fhir/StructureDefinition';

/** A Consent as an EHR might send it: only DUO purposes, no Consentome extensions. */
function ehrConsent(pseudonym: string, provision: Consent['provision']): Consent {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${pseudonym}` },
    dateTime: '2026-11-27T10:00:00Z',
    provision,
  };
}

describe(`FHIR Consent create (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let route: ReturnType<typeof fhirRoute>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  async function enrol(pseudonym: string) {
    const steward = actorOf(await makeUser(db.db, 'steward'));
    const email = `${pseudonym.toLowerCase()}@test.local`;
    const { user } = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, steward, { sex: 'male', pseudonym });
      ids[pseudonym] = p.id;
      const { code } = await createEnrolmentCode(tx, steward, p.id);
      return enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'P' });
    });
    return user;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    route = fhirRoute(db.db);
    const gql = createTestApi(db.db);
    for (const role of ['ethics_board', 'admin', 'researcher', 'steward'] as const)
      tokens[role] = await loginAs(gql, await makeUser(db.db, role));
    for (const name of ['P-ANNA', 'P-BEN', 'P-CARA'])
      tokens[name] = await loginAs(gql, await enrol(name));
    await db.db.transaction(async (tx) => {
      const [cara] = await tx
        .select()
        .from(participants)
        .where(eq(participants.id, ids['P-CARA']!));
      await withdrawConsent(tx, actorOf({ id: cara!.userId!, role: 'participant' } as never), {
        confirm: true,
      });
    });
  });
  afterAll(() => db.dispose());

  async function call<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    contentType = 'application/fhir+json',
  ) {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = contentType;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await route.handler(new Request(`http://test.local/fhir${path}`, init), {});
    return {
      status: res.status,
      body: (await res.json()) as T,
      headers: res.headers,
    };
  }
  const post = <T>(token: string | undefined, body: unknown, type?: string) =>
    call<T>('POST', '/Consent', token, body, type);

  /** Everything a refused write must leave alone. */
  async function snapshot() {
    const [versions] = await db.db.select({ n: count() }).from(consentPreferences);
    const [outbox] = await db.db.select({ n: count() }).from(chainOutbox);
    return { versions: versions!.n, outbox: outbox!.n, audit: await auditCount(db.db) };
  }

  function expectValid(resource: unknown) {
    expect(fhirSchemaErrors(resource)).toEqual([]);
  }

  it('lists create for Consent, and only there, in the CapabilityStatement', async () => {
    const res = await call<CapabilityStatement>('GET', '/metadata');
    expectValid(res.body);
    const [audit, consent] = res.body.rest![0]!.resource!;
    expect(audit!.interaction!.map((i) => i.code)).toEqual(['read', 'search-type']);
    expect(consent!.interaction!.map((i) => i.code)).toEqual([
      'read',
      'vread',
      'history-instance',
      'search-type',
      'create',
    ]);
    expect(consent!.conditionalCreate).toBe(false);
  });

  it('round-trips: what is posted reads back the same, and a GET result posts back unchanged', async () => {
    const before = await snapshot();
    const sent: Consent = {
      ...ehrConsent('P-ANNA', {
        type: 'permit',
        provision: [
          { type: 'permit', purpose: [{ system: DUO, code: 'DUO:0000042' }] },
          {
            type: 'deny',
            extension: [{ url: `${EXT}/ask-each-time`, valueBoolean: true }],
            purpose: [
              { system: DUO, code: 'DUO:0000006' },
              { system: DUO, code: 'DUO:0000007' },
            ],
          },
          { type: 'deny', purpose: [{ system: DUO, code: 'DUO:0000011' }] },
          { type: 'permit', purpose: [{ system: OWN, code: 'METHODS' }] },
          { type: 'deny', purpose: [{ system: OWN, code: 'COMMERCIAL' }] },
        ],
      }),
      extension: [
        { url: `${EXT}/discoverable`, valueBoolean: false },
        { url: `${EXT}/recontact`, valueBoolean: true },
      ],
    };
    const created = await post<Consent>(tokens['P-ANNA'], sent);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/fhir+json');
    expect(created.headers.get('location')).toBe(
      'http://test.local/fhir/Consent/P-ANNA/_history/1',
    );
    expect(created.headers.get('etag')).toBe('W/"1"');
    expectValid(created.body);
    expect(created.body.meta?.versionId).toBe('1');

    const [stored] = await db.db.transaction((tx) => preferenceHistory(tx, ids['P-ANNA']!));
    expect(stored).toMatchObject({
      version: 1,
      purposes: {
        GRU: 'permit',
        HMB: 'ask',
        DS: 'ask',
        POA: 'deny',
        METHODS: 'permit',
        COMMERCIAL: 'deny',
      },
      askEachTime: false,
      discoverable: false,
      recontact: true,
    });
    const audit = await lastAuditEvent(db.db);
    expect(audit).toMatchObject({
      action: 'consent.preferences.update',
      participantId: ids['P-ANNA'],
    });
    const after = await snapshot();
    expect(after.versions).toBe(before.versions + 1);
    expect(after.audit).toBe(before.audit + 1);
    // The first version puts every scope and the discovery, recontact and ask-each-time flags
    // on chain.
    expect(after.outbox).toBe(before.outbox + 9);

    const read = await call<Consent>('GET', '/Consent/P-ANNA', tokens['P-ANNA']);
    expect(read.body).toEqual(created.body);
    const vread = await call<Consent>('GET', '/Consent/P-ANNA/_history/1', tokens.ethics_board);
    expect(vread.body).toEqual(created.body);

    // Posting what GET returned is accepted as is and means the same (a new version).
    const again = await post<Consent>(tokens['P-ANNA'], read.body);
    expect(again.status).toBe(201);
    expectValid(again.body);
    expect(again.headers.get('location')).toMatch(/\/Consent\/P-ANNA\/_history\/2$/);
    const meaning = ({ meta: _m, dateTime: _d, ...rest }: Consent) => rest;
    expect(meaning(again.body)).toEqual(meaning(created.body));
    const history = await call<Bundle<Consent>>(
      'GET',
      '/Consent/P-ANNA/_history',
      tokens['P-ANNA'],
    );
    expectValid(history.body);
    expect(history.body.entry!.map((e) => e.resource!.meta!.versionId)).toEqual(['2', '1']);
  });

  it('takes an EHR consent with DUO codes only: unnamed purposes denied, settings kept', async () => {
    const res = await post<Consent>(
      tokens['P-ANNA'],
      ehrConsent('P-ANNA', {
        type: 'deny',
        provision: [{ type: 'permit', purpose: [{ system: DUO, code: 'DUO:0000006' }] }],
      }),
    );
    expect(res.status).toBe(201);
    expectValid(res.body);
    const [stored] = await db.db.transaction((tx) => preferenceHistory(tx, ids['P-ANNA']!));
    expect(stored).toMatchObject({
      purposes: {
        GRU: 'deny',
        HMB: 'permit',
        // Not named: inherits HMB (disease research is part of health research).
        DS: 'permit',
        POA: 'deny',
        METHODS: 'deny',
        COMMERCIAL: 'deny',
      },
      // Not in the document: left as the participant set them.
      discoverable: false,
      recontact: true,
    });
  });

  it('takes disease provisions: each MONDO-coded DS provision becomes a named disease; unknown diseases change nothing', async () => {
    const DS = { system: DUO, code: 'DUO:0000007' };
    const MONDO = 'http://purl.obolibrary.org/obo/mondo.owl';
    await db.db
      .insert(ontologyTerms)
      .values({ curie: 'MONDO:0002025', label: 'psychiatric disorder', ontology: 'MONDO' })
      .onConflictDoNothing();
    const consent = (disease: string) =>
      ehrConsent('P-ANNA', {
        type: 'deny',
        provision: [
          { type: 'permit', purpose: [{ system: DUO, code: 'DUO:0000006' }] },
          { type: 'deny', purpose: [DS], code: [{ coding: [{ system: MONDO, code: disease }] }] },
        ],
      });
    const res = await post<Consent>(tokens['P-ANNA'], consent('MONDO:0002025'));
    expect(res.status).toBe(201);
    expectValid(res.body);
    const [stored] = await db.db.transaction((tx) => preferenceHistory(tx, ids['P-ANNA']!));
    expect(stored).toMatchObject({
      purposes: { HMB: 'permit', DS: 'permit' },
      diseases: [{ id: 'MONDO:0002025', choice: 'deny' }],
    });
    // It reads back as it was sent.
    expect(res.body.provision!.provision!.find((p) => p.code)).toMatchObject({
      type: 'deny',
      code: [{ coding: [{ system: MONDO, code: 'MONDO:0002025' }] }],
    });
    // A MONDO id the ontology does not know: refused with its id, nothing written.
    const before = await snapshot();
    const unknown = await post<OperationOutcome>(tokens['P-ANNA'], consent('MONDO:9999999'));
    expect(unknown.status).toBe(422);
    expectValid(unknown.body);
    expect(unknown.body.issue[0]!.diagnostics).toContain('MONDO:9999999');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses unknown codes with a 422 naming each, and changes nothing', async () => {
    const before = await snapshot();
    const res = await post<OperationOutcome>(
      tokens['P-ANNA'],
      ehrConsent('P-ANNA', {
        type: 'deny',
        provision: [
          { type: 'permit', purpose: [{ system: DUO, code: 'DUO:0000042' }] },
          { type: 'permit', purpose: [{ system: DUO, code: 'DUO:9999999' }] },
          { type: 'deny', purpose: [{ system: 'http://snomed.info/sct', code: '1234567' }] },
        ],
      }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expectValid(res.body);
    expect(res.body.issue.map((i) => [i.code, i.diagnostics, i.expression])).toEqual([
      [
        'code-invalid',
        `Unknown code DUO:9999999 in system ${DUO}`,
        ['Consent.provision.provision[1].purpose[0]'],
      ],
      [
        'code-invalid',
        'Unknown code 1234567 in system http://snomed.info/sct',
        ['Consent.provision.provision[2].purpose[0]'],
      ],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for another participant's reference, or one that does not exist", async () => {
    const before = await snapshot();
    for (const who of ['P-BEN', 'P-NOBODY']) {
      const res = await post<OperationOutcome>(tokens['P-ANNA'], ehrConsent(who, { type: 'deny' }));
      expect(res.status, who).toBe(404);
      expect(res.body.issue[0]!.code).toBe('not-found');
      expectValid(res.body);
    }
    expect(await snapshot()).toEqual(before);
    const ben = await db.db.transaction((tx) => preferenceHistory(tx, ids['P-BEN']!));
    expect(ben.map((v) => v.version)).toEqual([0]);
  });

  it('refuses the unauthenticated (401) and every role but participant (403)', async () => {
    const before = await snapshot();
    const doc = ehrConsent('P-BEN', { type: 'deny' });
    const anon = await post<OperationOutcome>(undefined, doc);
    expect(anon.status).toBe(401);
    expect(anon.body.issue[0]!.code).toBe('login');
    expectValid(anon.body);
    expect((await post(`not-a-session`, doc)).status).toBe(401);
    for (const role of ['ethics_board', 'admin', 'researcher', 'steward']) {
      const res = await post<OperationOutcome>(tokens[role], doc);
      expect(res.status, role).toBe(403);
      expect(res.body.issue[0]!.code).toBe('forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses malformed JSON, other media types, invalid FHIR and oversize bodies', async () => {
    const before = await snapshot();
    const token = tokens['P-BEN'];
    const malformed = await post<OperationOutcome>(token, '{"resourceType": "Consent",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.issue[0]!.code).toBe('structure');
    expectValid(malformed.body);
    expect((await post(token, '', 'application/fhir+json')).status).toBe(400);
    expect((await post(token, ehrConsent('P-BEN', { type: 'deny' }), 'text/plain')).status).toBe(
      415,
    );
    expect((await post(token, ['not', 'a', 'resource'])).status).toBe(400);
    expect((await post(token, { resourceType: 'Patient' })).status).toBe(400);
    const invalid = await post<OperationOutcome>(token, {
      ...ehrConsent('P-BEN', { type: 'maybe' as 'deny' }),
      dateTime: 'yesterday',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issue.map((i) => i.diagnostics)).toEqual([
      expect.stringMatching(/^\/dateTime must match pattern/),
      expect.stringMatching(/^\/provision\/type must be equal to one of the allowed values/),
    ]);
    expectValid(invalid.body);
    const huge = { ...ehrConsent('P-BEN', { type: 'deny' }), id: 'x'.repeat(MAX_FHIR_BODY_BYTES) };
    expect((await post(token, huge)).status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses elements it would drop (422) and a participant who has withdrawn (409)', async () => {
    const before = await snapshot();
    const withActor = await post<OperationOutcome>(
      tokens['P-BEN'],
      ehrConsent('P-BEN', {
        type: 'deny',
        provision: [
          {
            type: 'permit',
            purpose: [{ system: DUO, code: 'DUO:0000042' }],
            actor: [{ role: { text: 'any' }, reference: { reference: 'Organization/x' } }],
          },
        ],
      }),
    );
    expect(withActor.status).toBe(422);
    expect(withActor.body.issue[0]).toMatchObject({
      code: 'not-supported',
      expression: ['Consent.provision.provision[0].actor'],
    });
    const withdrawn = await post<OperationOutcome>(
      tokens['P-CARA'],
      ehrConsent('P-CARA', { type: 'deny' }),
    );
    expect(withdrawn.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('allows POST on the Consent type only (405 with Allow elsewhere)', async () => {
    const res = await call<OperationOutcome>('POST', '/AuditEvent', tokens['P-BEN'], {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    const put = await call('PUT', '/Consent', tokens['P-BEN'], {});
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await call('POST', '/Consent/P-BEN', tokens['P-BEN'], {})).status).toBe(405);
  });
});
