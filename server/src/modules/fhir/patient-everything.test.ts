import type { Binary, Bundle, Condition, Provenance } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantByEmail } from '../../test/participant-by-email.js';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditEventsWithAction, lastAuditEventWith } from '../../test/audit-rows.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { actorOf } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { findUser } from '../accounts/accounts.service.js';
import { uploadOwnGenotypes } from '../datasets/genotype-upload/genotype-upload.service.js';
import { fhirRoute } from './fhir.route.js';
import { recordDownloadRoute } from './record-download.route.js';

/**
 * "Download my data" (#18 item 4): the participant's whole record as a FHIR R4 Bundle in the
 * manner of Patient/$everything, valid against the official R4 schema, and as a PDF; audited.
 */
describe(`a participant downloads their whole record (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let patient = '';
  let pseudonym = '';
  let participantId = '';

  beforeAll(async () => {
    f = await openAccessFixture();
    patient = await signIn(f.gql, 'patient@demo.local');
    const me = await participantByEmail(f.db.db, 'patient@demo.local');
    participantId = me.id;
    pseudonym = me.pseudonym;
    const add = await f.gql(
      `mutation { addConditionToRecord(input: { code: "HP:0000365", onset: "2010-01-01", note: "since school" }) { __typename } }`,
      {},
      { token: patient },
    );
    expect(add.errors).toBeUndefined();
    // Their own GRCh38 VCF with one call: the download carries it with its source.
    const text = [
      '##fileformat=VCFv4.2',
      '##reference=GRCh38',
      '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tME',
      '21\t20000123\t.\tG\tA\t.\tPASS\t.\tGT\t1/1',
      '',
    ].join('\n');
    const bytes = new TextEncoder().encode(text);
    const actor = actorOf((await findUser(f.db.db, me.userId))!);
    await f.db.db.transaction((tx) =>
      uploadOwnGenotypes(
        tx,
        actor,
        { name: 'me.vcf', size: bytes.length, bytes: async () => bytes },
        { maxBytes: 1 << 20, liftover: null },
      ),
    );
  }, 120_000);
  afterAll(() => f?.dispose());

  const get = (path: string, token: string | null) =>
    fhirRoute(f.db.db).handler(
      new Request(`http://test.local${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
      {},
    );

  it('answers a Bundle valid against the R4 schema with every part of the record and its sources', async () => {
    const before = (await auditEventsWithAction(f.db.db, 'record.download')).length;
    const res = await get('/fhir/Patient/$everything', patient);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const types = new Set(bundle.entry!.map((e) => e.resource!.resourceType));
    for (const t of [
      'Patient',
      'Condition',
      'Observation',
      'Consent',
      'AuditEvent',
      'Provenance',
      'Binary',
    ])
      expect(types, t).toContain(t);
    const resources = bundle.entry!.map((e) => e.resource!);
    const hearing = resources.find(
      (r): r is Condition =>
        r.resourceType === 'Condition' && r.code?.coding?.[0]?.code === 'HP:0000365',
    )!;
    expect(hearing.note?.[0]?.text).toContain('since school');
    const provenance = resources.find(
      (r): r is Provenance =>
        r.resourceType === 'Provenance' && r.target[0]!.reference === `Condition/${hearing.id}`,
    )!;
    expect(provenance.reason?.[0]?.coding?.[0]?.code).toBe('self_report');
    expect(provenance.agent[0]!.who).toEqual({ reference: `Patient/${pseudonym}` });
    // Their genotype calls as a VCF naming each call's source.
    const binary = resources.find((r): r is Binary => r.resourceType === 'Binary')!;
    const vcf = Buffer.from(binary.data!, 'base64').toString('utf8');
    expect(vcf).toMatch(/^##fileformat=VCFv4\.2\n/);
    expect(vcf).toContain(`\tFORMAT\t${pseudonym}\n`);
    expect(vcf).toMatch(/\n21\t20000123\t\.\tG\tA\t\.\t\.\tSRC=upload:[0-9a-f-]{36}\tGT\t1\/1\n/);
    expect(
      resources.some(
        (r) =>
          r.resourceType === 'Provenance' &&
          r.target[0]!.reference === 'Binary/genotypes' &&
          r.reason?.[0]?.coding?.[0]?.code === 'device_upload',
      ),
    ).toBe(true);
    // Every event about them is there, and the download itself is audited.
    expect(resources.filter((r) => r.resourceType === 'AuditEvent').length).toBeGreaterThan(3);
    expect((await auditEventsWithAction(f.db.db, 'record.download')).length).toBe(before + 1);
    const event = await lastAuditEventWith(f.db.db, 'record.download');
    expect(event).toMatchObject({ participantId });
    expect(JSON.parse(String(event!.payload))).toMatchObject({ format: 'fhir', calls: 1 });
  });

  it('answers the same for the participant’s own pseudonym, and 404/401 for anyone else', async () => {
    const own = await get(`/fhir/Patient/${pseudonym}/$everything`, patient);
    expect(own.status).toBe(200);
    expect((await get('/fhir/Patient/P-SOMEONE-ELSE/$everything', patient)).status).toBe(404);
    expect((await get('/fhir/Patient/$everything', f.tokens.researcher)).status).toBe(404);
    expect((await get(`/fhir/Patient/${pseudonym}/$everything`, f.tokens.ethics)).status).toBe(404);
    expect((await get('/fhir/Patient/$everything', null)).status).toBe(401);
  });

  it('prints a PDF summary, audited', async () => {
    const route = recordDownloadRoute(f.db.db);
    const res = await route.handler(
      new Request('http://test.local/api/record/summary.pdf', {
        headers: { authorization: `Bearer ${patient}` },
      }),
      {},
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const event = await lastAuditEventWith(f.db.db, 'record.download');
    expect(JSON.parse(String(event!.payload))).toMatchObject({ format: 'pdf' });
    const refused = await route.handler(
      new Request('http://test.local/api/record/summary.pdf', {
        headers: { authorization: `Bearer ${f.tokens.researcher}` },
      }),
      {},
    );
    expect(refused.status).toBe(404);
  });
});
