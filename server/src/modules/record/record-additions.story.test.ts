import type { Binary, Bundle, Condition, Provenance } from '@medplum/fhirtypes';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditCount } from '../../test/audit-rows.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { actorOf, loginAs, makeUser } from '../../test/test-api.js';
import { queryRows } from '../../db/query-rows.js';
import { findUser } from '../accounts/accounts.service.js';
import { uploadOwnGenotypes } from '../datasets/genotype-upload/genotype-upload.service.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { fhirRoute } from '../fhir/fhir.route.js';
import { participants } from '../participants/participants.tables.js';
import { recordEntries } from './record.tables.js';
import { participantByEmail } from '../../test/participant-by-email.js';

const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { count display } }`;
// Hearing impairment: a term the demo patient holds from no source before this test.
const HEARING = 'HP:0000365';
const NEOPLASM = 'MONDO:0005070';

const fhirCondition = (pseudonym: string): Condition => ({
  resourceType: 'Condition',
  code: { coding: [{ system: 'http://purl.obolibrary.org/obo/mondo.owl', code: NEOPLASM }] },
  subject: { reference: `Patient/${pseudonym}` },
  onsetDateTime: '2024-02-01',
});

/**
 * Issue #18 end to end: a participant adds conditions and uploads a consumer genotype file,
 * authorises a clinician, the clinician appends a Condition over FHIR, a researcher's counts see
 * both at once and can take the clinician's word only, the participant retracts and revokes, the
 * clinician is refused, and the participant downloads everything as a Bundle that validates.
 */
describe(`patients and clinicians add to the record (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let route: ReturnType<typeof fhirRoute>;
  let patient = '';
  let clinician = '';
  let clinicianEmail = '';
  let pseudonym = '';
  let participantId = '';

  // Exact counts (no suppression or noise) so one participant's addition shows as +1.
  beforeAll(async () => {
    f = await openAccessFixture({
      countPrivacy: { minCellCount: 1, noiseRange: 0, budgetPerDay: 10_000 },
    });
    route = fhirRoute(f.db.db);
    patient = await signIn(f.gql, 'patient@demo.local');
    const doctor = await makeUser(f.db.db, 'clinician', 'Hospital Clínic');
    clinicianEmail = doctor.email;
    clinician = await loginAs(f.gql, doctor);
    ({ id: participantId, pseudonym } = await participantByEmail(f.db.db, 'patient@demo.local'));
  }, 120_000);
  afterAll(() => f?.dispose());

  const count = async (criteria: Record<string, unknown>) => {
    const res = await f.gql<{ cohortCount: { count: number | null } }>(
      COUNT,
      { c: criteria },
      { token: f.tokens.researcher },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.cohortCount.count!;
  };
  const mutate = async (query: string, variables: Record<string, unknown>) => {
    const res = await f.gql<Record<string, { __typename: string; data?: { id: string } }>>(
      query,
      variables,
      { token: patient },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data!)[0]!;
  };
  const postCondition = async (token: string) => {
    const res = await route.handler(
      new Request('http://test.local/fhir/Condition', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(fhirCondition(pseudonym)),
      }),
      {},
    );
    return { status: res.status, body: (await res.json()) as Bundle };
  };

  it('counts what the participant and their clinician add, by source, and refuses the clinician once revoked', async () => {
    const hearing = { phenotypes: [HEARING] };
    const hearingConfirmed = { phenotypes: [HEARING], termSource: 'CLINICIAN' };
    const neoplasm = { diseases: [NEOPLASM] };
    const neoplasmConfirmed = { diseases: [NEOPLASM], termSource: 'CLINICIAN' };
    const before = {
      hearing: await count(hearing),
      neoplasm: await count(neoplasm),
      neoplasmConfirmed: await count(neoplasmConfirmed),
    };
    expect(await count(hearingConfirmed)).toBe(0);

    // 1. The participant reports a hearing impairment and their height.
    const added = await mutate(
      `mutation($i: RecordConditionInput!) { addConditionToRecord(input: $i) { __typename
        ... on MutationAddConditionToRecordSuccess { data { id } } } }`,
      { i: { code: HEARING, onset: '2010-09-01', note: 'since childhood' } },
    );
    expect(added.__typename).toBe('MutationAddConditionToRecordSuccess');
    await mutate(
      `mutation($i: RecordMeasurementInput!) { addMeasurementToRecord(input: $i) { __typename } }`,
      { i: { measurement: 'HEIGHT', value: 171 } },
    );
    expect(await count(hearing)).toBe(before.hearing + 1);
    // A self-report is not a clinician's word.
    expect(await count(hearingConfirmed)).toBe(0);

    // 1b. They upload a consumer (23andMe-style, GRCh38) genotype file: a known variant they did
    // not carry counts them at once, as a device upload.
    const [site] = await queryRows<{ chrom: string; pos: number; ref: string; alt: string }>(
      f.db.db,
      sql`select v.chrom, v.pos, v.ref, v.alt from variants v
          join participants p on p.id = ${participantId}
          where length(v.ref) = 1 and length(v.alt) = 1
            and (select count(*) from variants w where w.chrom = v.chrom and w.pos = v.pos) = 1
            and not exists (select 1 from variant_calls c where c.variant_id = v.id and c.participant_num = p.num)
          order by v.id limit 1`,
    );
    const carriers = { variants: [`${site!.chrom}-${site!.pos}-${site!.ref}-${site!.alt}`] };
    const carriersBefore = await count(carriers);
    const file = new TextEncoder().encode(
      [
        '# We are using reference human assembly build 38.',
        '# rsid\tchromosome\tposition\tgenotype',
        `rs1\t${site!.chrom}\t${site!.pos}\t${site!.ref}${site!.alt}`,
        '',
      ].join('\n'),
    );
    const [me] = await f.db.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(eq(participants.id, participantId));
    const uploader = actorOf((await findUser(f.db.db, me!.userId!))!);
    const uploaded = await f.db.db.transaction((tx) =>
      uploadOwnGenotypes(
        tx,
        uploader,
        { name: 'genome.txt', size: file.length, bytes: async () => file },
        { maxBytes: 1 << 20, liftover: null },
      ),
    );
    expect(uploaded.report.calls).toBe(1);
    expect(await count(carriers)).toBe(carriersBefore + 1);

    // 2. They authorise a clinician to read and append for a month.
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const given = await mutate(
      `mutation($i: AuthoriseClinicianInput!) { authoriseClinician(input: $i) { __typename
        ... on MutationAuthoriseClinicianSuccess { data { id } } } }`,
      { i: { clinicianEmail, canRead: true, canAppend: true, until } },
    );
    expect(given.__typename).toBe('MutationAuthoriseClinicianSuccess');

    // 3. The clinician appends a Condition over FHIR, answered with its Provenance.
    const appended = await postCondition(clinician);
    expect(appended.status).toBe(201);
    expect(fhirSchemaErrors(appended.body)).toEqual([]);
    expect(appended.body.entry!.map((e) => e.resource!.resourceType)).toEqual([
      'Condition',
      'Provenance',
    ]);

    // 4. The researcher's counts see it at once, under either source filter.
    expect(await count(neoplasm)).toBe(before.neoplasm + 1);
    expect(await count(neoplasmConfirmed)).toBe(before.neoplasmConfirmed + 1);

    // 5. The participant retracts their own entry: it stops counting.
    const retracted = await mutate(
      `mutation($id: ID!) { retractRecordEntry(entryId: $id) { __typename } }`,
      { id: added.data!.id },
    );
    expect(retracted.__typename).toBe('MutationRetractRecordEntrySuccess');
    expect(await count(hearing)).toBe(before.hearing);

    // 6. They revoke the clinician, who is refused from then on with nothing written.
    const revoked = await mutate(
      `mutation($id: ID!) { revokeClinician(authorisationId: $id) { __typename } }`,
      { id: given.data!.id },
    );
    expect(revoked.__typename).toBe('MutationRevokeClinicianSuccess');
    const entries = async () =>
      (
        await f.db.db
          .select()
          .from(recordEntries)
          .where(eq(recordEntries.participantId, participantId))
      ).length;
    const state = [await entries(), await auditCount(f.db.db)];
    const refused = await postCondition(clinician);
    expect(refused.status).toBe(403);
    expect([await entries(), await auditCount(f.db.db)]).toEqual(state);

    // 7. The participant's timeline shows the clinician's addition.
    const timeline = await f.gql<{ myTimeline: { action: string }[] }>(
      `{ myTimeline(limit: 50) { action } }`,
      {},
      { token: patient },
    );
    expect(timeline.data!.myTimeline.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'record.entry.add.clinician',
        'clinician.revoke',
        'record.entry.retract',
        'record.genotypes.upload',
      ]),
    );

    // 8. The participant downloads everything: the bundle validates against the R4 schema and
    // carries the clinician's condition and the upload, each with its source.
    const download = await route.handler(
      new Request('http://test.local/fhir/Patient/$everything', {
        headers: { authorization: `Bearer ${patient}` },
      }),
      {},
    );
    expect(download.status).toBe(200);
    const everything = (await download.json()) as Bundle;
    expect(fhirSchemaErrors(everything)).toEqual([]);
    const sources = everything
      .entry!.map((e) => e.resource!)
      .filter((r) => r.resourceType === 'Provenance')
      .map((r) => (r as Provenance).reason?.[0]?.coding?.[0]?.code);
    expect(sources).toEqual(expect.arrayContaining(['clinician', 'self_report', 'device_upload']));
    const binary = everything.entry!.find((e) => e.resource!.resourceType === 'Binary')!;
    expect(Buffer.from((binary.resource as Binary).data!, 'base64').toString()).toContain(
      `${site!.chrom}\t${site!.pos}\t.\t${site!.ref}\t${site!.alt}`,
    );
  });
});
