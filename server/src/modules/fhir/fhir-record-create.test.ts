import type { Bundle, Condition, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditCount, lastAuditEventWith } from '../../test/audit-rows.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { recordEntries, recordEntryVersions } from '../record/record.tables.js';
import { fhirRoute } from './fhir.route.js';
import { SNOMED_CONDITIONS } from './snomed-conditions.js';
import { participantByEmail } from '../../test/participant-by-email.js';

const HPO = 'http://purl.obolibrary.org/obo/hp.owl';
const SCT = 'http://snomed.info/sct';
const MONDO = 'http://purl.obolibrary.org/obo/mondo.owl';

const condition = (pseudonym: string, extra: Partial<Condition> = {}): Condition => ({
  resourceType: 'Condition',
  clinicalStatus: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
    ],
  },
  code: { coding: [{ system: HPO, code: 'HP:0002099', display: 'Asthma' }] },
  subject: { reference: `Patient/${pseudonym}` },
  onsetDateTime: '2015-06-01',
  ...extra,
});

const height = (pseudonym: string, value: number, code = 'cm'): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
  subject: { reference: `Patient/${pseudonym}` },
  effectiveDateTime: '2026-11-30',
  valueQuantity: { value, unit: code, system: 'http://unitsofmeasure.org', code },
});

describe(`FHIR Condition and Observation create by clinicians (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let route: ReturnType<typeof fhirRoute>;
  let clinician = '';
  let pseudonym = '';
  let participantId = '';

  const post = async <T>(type: string, token: string | undefined, body: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await route.handler(
      new Request(`http://test.local/fhir/${type}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }),
      {},
    );
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  };
  const stored = async () =>
    (
      await f.db.db
        .select()
        .from(recordEntries)
        .where(eq(recordEntries.participantId, participantId))
    ).length;
  const refused = async (type: string, token: string | undefined, body: unknown) => {
    const before = [await stored(), await auditCount(f.db.db)];
    const res = await post<OperationOutcome>(type, token, body);
    expect([await stored(), await auditCount(f.db.db)]).toEqual(before);
    expect(res.body.resourceType).toBe('OperationOutcome');
    return res;
  };

  beforeAll(async () => {
    f = await openAccessFixture();
    route = fhirRoute(f.db.db);
    const doctor = await makeUser(f.db.db, 'clinician', 'Hospital Clínic');
    clinician = await loginAs(f.gql, doctor);
    const patient = await signIn(f.gql, 'patient@demo.local');
    ({ id: participantId, pseudonym } = await participantByEmail(f.db.db, 'patient@demo.local'));
    const res = await f.gql<{ authoriseClinician: { __typename: string } }>(
      `mutation($i: AuthoriseClinicianInput!) { authoriseClinician(input: $i) { __typename } }`,
      { i: { clinicianEmail: doctor.email, canRead: true, canAppend: true, until: '2099-12-31' } },
      { token: patient },
    );
    expect(res.data?.authoriseClinician.__typename).toBe('MutationAuthoriseClinicianSuccess');
  }, 120_000);
  afterAll(() => f?.dispose());

  it('stores a Condition with the clinician as source and answers it with its Provenance, valid R4', async () => {
    const res = await post<Bundle>('Condition', clinician, condition(pseudonym));
    expect(res.status).toBe(201);
    expect(fhirSchemaErrors(res.body)).toEqual([]);
    const [made, provenance] = res.body.entry!.map((e) => e.resource!);
    expect(made).toMatchObject({
      resourceType: 'Condition',
      subject: { reference: `Patient/${pseudonym}` },
      onsetDateTime: '2015-06-01',
    });
    // HP:0002099 has no SNOMED CT equivalent in the table: the stored term alone.
    expect((made as Condition).code!.coding).toEqual([
      expect.objectContaining({ system: HPO, code: 'HP:0002099' }),
    ]);
    expect(res.headers.get('location')).toContain(`/Condition/${made!.id}/_history/1`);
    expect(provenance).toMatchObject({
      resourceType: 'Provenance',
      target: [{ reference: `Condition/${made!.id}` }],
      agent: [{ onBehalfOf: { display: 'Hospital Clínic' } }],
    });
    const [entry] = await f.db.db
      .select()
      .from(recordEntries)
      .where(eq(recordEntries.id, made!.id!));
    expect(entry).toMatchObject({ source: 'clinician', authorInstitution: 'Hospital Clínic' });
    const event = await lastAuditEventWith(f.db.db, 'record.entry.add.clinician');
    expect(event).toMatchObject({ targetId: made!.id, participantId });
    expect(JSON.stringify(event!.payload)).not.toContain('HP:');
  });

  it('maps a SNOMED CT code of a common condition to MONDO and refuses one it does not map with an OperationOutcome', async () => {
    const res = await post<Bundle>(
      'Condition',
      clinician,
      condition(pseudonym, {
        code: { coding: [{ system: SCT, code: '195967001', display: 'Asthma' }] },
      }),
    );
    expect(res.status).toBe(201);
    expect(fhirSchemaErrors(res.body)).toEqual([]);
    const made = res.body.entry![0]!.resource as Condition;
    const [version] = await f.db.db
      .select()
      .from(recordEntryVersions)
      .where(eq(recordEntryVersions.entryId, made.id!));
    expect(version).toMatchObject({ code: 'MONDO:0004979' });
    // The answer shows what was stored (the MONDO term first), with the SNOMED CT code beside it.
    const [label] = await f.db.db
      .select({ label: ontologyTerms.label })
      .from(ontologyTerms)
      .where(eq(ontologyTerms.curie, 'MONDO:0004979'));
    const asStored = [
      { system: MONDO, code: 'MONDO:0004979', display: label!.label },
      { system: SCT, code: '195967001', display: 'Asthma' },
    ];
    expect(made.code!.coding).toEqual(asStored);
    // A later read (the participant's $everything) shows the same two codings.
    const patient = await signIn(f.gql, 'patient@demo.local');
    const read = await route.handler(
      new Request('http://test.local/fhir/Patient/$everything', {
        headers: { authorization: `Bearer ${patient}` },
      }),
      {},
    );
    const everything = (await read.json()) as Bundle;
    expect(fhirSchemaErrors(everything)).toEqual([]);
    const again = everything.entry!.find((e) => e.resource?.id === made.id)!.resource as Condition;
    expect(again.code!.coding).toEqual(asStored);

    // 404684003 "Clinical finding": a real concept, deliberately not in the table.
    const unmapped = await refused(
      'Condition',
      clinician,
      condition(pseudonym, { code: { coding: [{ system: SCT, code: '404684003' }] } }),
    );
    expect(unmapped.status).toBe(422);
    expect(fhirSchemaErrors(unmapped.body)).toEqual([]);
    expect(unmapped.body.issue[0]!.diagnostics).toMatch(
      /SNOMED CT 404684003 has no HPO or MONDO equivalent here: add an HPO or MONDO coding/,
    );
  });

  it('maps SNOMED CT only to terms of the shipped ontologies', async () => {
    const curies = [...new Set(Object.values(SNOMED_CONDITIONS).map((m) => m.curie))];
    const known = await f.db.db
      .select({ curie: ontologyTerms.curie })
      .from(ontologyTerms)
      .where(inArray(ontologyTerms.curie, curies));
    expect(known.map((t) => t.curie).sort()).toEqual(curies.sort());
  });

  it('stores a LOINC height in m as cm', async () => {
    const res = await post<Bundle>('Observation', clinician, height(pseudonym, 1.74, 'm'));
    expect(res.status).toBe(201);
    expect(fhirSchemaErrors(res.body)).toEqual([]);
    const made = res.body.entry![0]!.resource as Observation;
    expect(made.valueQuantity).toMatchObject({ value: 174, code: 'cm' });
    const [version] = await f.db.db
      .select()
      .from(recordEntryVersions)
      .where(eq(recordEntryVersions.entryId, made.id!));
    expect(version).toMatchObject({ code: 'height', valueNumber: 174, unit: 'cm' });
  });

  it('refuses, writing nothing: another role, bad schema, another patient, an unknown code, a future onset, a stranger', async () => {
    const patient = await signIn(f.gql, 'patient@demo.local');
    expect((await refused('Condition', patient, condition(pseudonym))).status).toBe(403);
    expect((await refused('Condition', undefined, condition(pseudonym))).status).toBe(401);
    const badSchema = await refused('Condition', clinician, {
      ...condition(pseudonym),
      onsetDateTime: 7,
    });
    expect(badSchema.status).toBe(400);
    const mixed = await refused(
      'Condition',
      clinician,
      condition(pseudonym, { asserter: { reference: 'Patient/P-SOMEONE-ELSE' } }),
    );
    expect(mixed.status).toBe(422);
    expect(mixed.body.issue[0]!.diagnostics).toMatch(/another patient/);
    const unknown = await refused(
      'Condition',
      clinician,
      condition(pseudonym, { code: { coding: [{ system: HPO, code: 'HP:9999999' }] } }),
    );
    expect(unknown.status).toBe(400);
    const future = await refused(
      'Condition',
      clinician,
      condition(pseudonym, { onsetDateTime: '2099-01-01' }),
    );
    expect(future.status).toBe(400);
    expect((await refused('Observation', clinician, height(pseudonym, 900))).status).toBe(400);
    const notAuthorised = await refused('Condition', clinician, condition('P-NOBODY'));
    expect(notAuthorised.status).toBe(404);
    const stranger = await loginAs(f.gql, await makeUser(f.db.db, 'clinician', 'Elsewhere'));
    expect((await refused('Condition', stranger, condition(pseudonym))).status).toBe(404);
  });
});
