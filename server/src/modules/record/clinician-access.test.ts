import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditCount } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { clinicianAuthorisations, recordEntries } from './record.tables.js';
import { participantByEmail } from '../../test/participant-by-email.js';
import { isoDateInDays } from '../../test/iso-dates.js';
import {
  APPEND_CONDITION,
  PAYLOAD_ERRORS,
  REVOKE_CLINICIAN,
  type RecordPayload,
} from '../../test/record-api.js';

const AUTHORISE = `mutation($i: AuthoriseClinicianInput!) { authoriseClinician(input: $i) {
  ${PAYLOAD_ERRORS} ... on MutationAuthoriseClinicianSuccess { data { id endsAt } } } }`;
const READ = `query($p: String!) { patientRecord(pseudonym: $p) {
  ${PAYLOAD_ERRORS} ... on QueryPatientRecordSuccess { data { id source code note authorName authorInstitution } } } }`;

describe(`clinicians a participant authorises (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let patient = '';
  let clinician = '';
  let stranger = '';
  let clinicianEmail = '';
  let pseudonym = '';
  let participantId = '';

  const call = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await f.gql<Record<string, RecordPayload>>(query, variables, { token });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data!)[0]!;
  };
  const entriesOfPatient = async () =>
    (
      await f.db.db
        .select({ id: recordEntries.id })
        .from(recordEntries)
        .where(eq(recordEntries.participantId, participantId))
    ).length;
  const refusedWithNothingWritten = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ) => {
    const before = [await entriesOfPatient(), await auditCount(f.db.db)];
    const out = await call(query, variables, token);
    expect([await entriesOfPatient(), await auditCount(f.db.db)]).toEqual(before);
    return out;
  };

  beforeAll(async () => {
    f = await openAccessFixture();
    patient = await signIn(f.gql, 'patient@demo.local');
    const doctor = await makeUser(f.db.db, 'clinician', 'Hospital Clínic');
    clinicianEmail = doctor.email;
    clinician = await loginAs(f.gql, doctor);
    stranger = await loginAs(f.gql, await makeUser(f.db.db, 'clinician', 'Elsewhere Hospital'));
    ({ id: participantId, pseudonym } = await participantByEmail(f.db.db, 'patient@demo.local'));
  }, 120_000);
  afterAll(() => f?.dispose());

  it('refuses a clinician the participant never authorised as "not found", writing nothing', async () => {
    const out = await refusedWithNothingWritten(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'HP:0002099' } },
      clinician,
    );
    expect(out).toMatchObject({ code: 'NOT_FOUND' });
    expect(await call(READ, { p: pseudonym }, clinician)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an authorisation for an address that is not a clinician’s, or ending in the past', async () => {
    const notAClinician = await refusedWithNothingWritten(
      AUTHORISE,
      {
        i: {
          clinicianEmail: 'researcher@demo.local',
          canRead: true,
          canAppend: true,
          until: isoDateInDays(30),
        },
      },
      patient,
    );
    expect(notAClinician).toMatchObject({ code: 'NOT_FOUND' });
    const past = await refusedWithNothingWritten(
      AUTHORISE,
      { i: { clinicianEmail, canRead: true, canAppend: true, until: isoDateInDays(-3) } },
      patient,
    );
    expect(past).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'until' }],
    });
  });

  it('lets an authorised clinician read and append, both on the participant’s timeline, and refuses after revocation', async () => {
    const given = await call(
      AUTHORISE,
      { i: { clinicianEmail, canRead: true, canAppend: true, until: isoDateInDays(30) } },
      patient,
    );
    expect(given.__typename).toBe('MutationAuthoriseClinicianSuccess');
    const authorisationId = (given.data as { id: string }).id;

    // The participant's private note stays theirs.
    await call(
      `mutation($i: RecordConditionInput!) { addConditionToRecord(input: $i) { __typename } }`,
      { i: { code: 'HP:0000822', note: 'my private words' } },
      patient,
    );
    const appended = await call(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'MONDO:0005070' } },
      clinician,
    );
    expect(appended.__typename).toBe('MutationAppendConditionForPatientSuccess');
    const read = await call(READ, { p: pseudonym }, clinician);
    const entries = read.data as {
      source: string;
      code: string;
      note: string | null;
      authorInstitution: string | null;
    }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'CLINICIAN',
          code: 'MONDO:0005070',
          authorInstitution: 'Hospital Clínic',
        }),
        expect.objectContaining({ source: 'SELF_REPORT', code: 'HP:0000822', note: null }),
      ]),
    );
    // Another clinician of no authorisation still learns nothing.
    expect(await call(READ, { p: pseudonym }, stranger)).toMatchObject({ code: 'NOT_FOUND' });

    const timeline = await f.gql<{ myTimeline: { action: string }[] }>(
      `{ myTimeline(limit: 20) { action } }`,
      {},
      { token: patient },
    );
    const actions = timeline.data!.myTimeline.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'record.read.clinician',
        'record.entry.add.clinician',
        'clinician.authorise',
      ]),
    );

    const revoked = await call(REVOKE_CLINICIAN, { id: authorisationId }, patient);
    expect(revoked.__typename).toBe('MutationRevokeClinicianSuccess');
    const after = await refusedWithNothingWritten(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'HP:0002099' } },
      clinician,
    );
    expect(after).toMatchObject({ code: 'FORBIDDEN' });
    expect(after.message).toMatch(/authorisation of you ended/);
    expect(await call(READ, { p: pseudonym }, clinician)).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusedWithNothingWritten(REVOKE_CLINICIAN, { id: authorisationId }, patient),
    ).toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('refuses appending after the authorised period ended, and appending under a read-only authorisation', async () => {
    const given = await call(
      AUTHORISE,
      { i: { clinicianEmail, canRead: true, canAppend: false, until: isoDateInDays(10) } },
      patient,
    );
    const readOnly = await refusedWithNothingWritten(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'HP:0002099' } },
      clinician,
    );
    expect(readOnly).toMatchObject({ code: 'FORBIDDEN' });
    expect(readOnly.message).toMatch(/not authorised you to append/);

    // The period runs out (moved into the past here rather than waiting for it).
    const id = (given.data as { id: string }).id;
    await f.db.db
      .update(clinicianAuthorisations)
      .set({
        startsAt: new Date(Date.now() - 3 * 86_400_000),
        endsAt: new Date(Date.now() - 86_400_000),
      })
      .where(and(eq(clinicianAuthorisations.id, id)));
    const ended = await refusedWithNothingWritten(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'HP:0002099' } },
      clinician,
    );
    expect(ended).toMatchObject({ code: 'FORBIDDEN' });
    const list = await f.gql<{ authorisedPatients: { pseudonym: string }[] }>(
      `{ authorisedPatients { pseudonym } }`,
      {},
      { token: clinician },
    );
    expect(list.data!.authorisedPatients).toEqual([]);
  });
});
